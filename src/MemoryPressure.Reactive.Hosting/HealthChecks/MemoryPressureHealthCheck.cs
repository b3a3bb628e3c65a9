using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Reports the host's memory pressure: Healthy at level 0, and at a level the worst status of the
/// levels in effect (<see cref="MemoryPressureLevelOptions.HealthStatus"/>).
/// </summary>
/// <remarks>Reads the current level and the latest sample; it samples nothing itself and never throws.</remarks>
internal sealed class MemoryPressureHealthCheck(MemoryPressureService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var level = service.Manager.SeverityLevel;
        var data = new Dictionary<string, object>
        {
            ["level"] = level,
            ["levels"] = service.Manager.Ladder.Count,
        };
        if (service.LatestSample is { } sample)
        {
            data["processResidentBytes"] = sample.ProcessResidentBytes;
            data["processLimitBytes"] = sample.ProcessLimitBytes;
            data["systemAvailableBytes"] = sample.SystemAvailableBytes;
        }

        return Task.FromResult(new HealthCheckResult(service.HealthAt(level), service.Describe(level), data: data));
    }
}
