using System.Reactive;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Support;

/// <summary>Hosts for tests: no default configuration sources, fake logging, and the host's own metrics.</summary>
internal static class TestHosts
{
    /// <summary>A builder whose configuration is the given file under <c>fixtures/</c>, if any.</summary>
    public static HostApplicationBuilder Builder(string? configurationFile = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        if (configurationFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.Combine("fixtures", configurationFile), optional: false);
        }

        builder.Logging.AddFakeLogging();
        return builder;
    }

    /// <summary>
    /// A host on the <see cref="Pressure"/> ladder (<c>fixtures/ladder.json</c>) fed with samples at the
    /// given levels and virtual times, through <see cref="MemoryPressureHostingOptions.Samples"/>.
    /// </summary>
    public static IHost WithSamples(TestScheduler scheduler, (long Ticks, int Level)[] levels, Action<IServiceCollection>? services = null)
    {
        var builder = Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = Hot(scheduler, levels));
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>A hot observable of <see cref="Pressure"/> samples at the given levels and virtual times.</summary>
    public static ITestableObservable<MemorySample> Hot(TestScheduler scheduler, params (long Ticks, int Level)[] levels) =>
        scheduler.CreateHotObservable([.. levels.Select(l => new Recorded<Notification<MemorySample>>(l.Ticks, Notification.CreateOnNext(Pressure.AtLevel(l.Ticks, l.Level))))]);

    public static MemoryPressureManager Manager(this IHost host) => host.Services.GetRequiredService<MemoryPressureManager>();
}
