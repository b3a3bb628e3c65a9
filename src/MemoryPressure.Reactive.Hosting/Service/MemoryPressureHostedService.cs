using Microsoft.Extensions.Hosting;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Starts the host's manager when the host starts and disposes it when the host stops.</summary>
/// <remarks>
/// Registered once, so it starts before the hosted services registered after <c>AddMemoryPressure</c>
/// and, hosts stopping in reverse order, stops after them: they can use the manager throughout.
/// </remarks>
internal sealed class MemoryPressureHostedService(MemoryPressureService service) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        service.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        service.Dispose();
        return Task.CompletedTask;
    }
}
