using System.Globalization;
using MemoryPressure.Reactive;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WorkerService;

/// <summary>Prints the level, the health and the caches' sizes every second, and stops the host after <c>--duration</c> seconds (default 15).</summary>
internal sealed class StatusReporter(
    MemoryPressureManager manager,
    HealthCheckService health,
    IMemoryCache cache,
    ReportCache reports,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var duration = TimeSpan.FromSeconds(configuration.GetValue("duration", 15));
        var stopAt = DateTimeOffset.UtcNow + duration;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains("ready"), stoppingToken);
            var entries = cache is MemoryCache memoryCache ? memoryCache.Count : -1;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"level {manager.SeverityLevel}, health {report.Status}, memory cache {entries} entries, report cache {reports.Count} reports"));
            if (DateTimeOffset.UtcNow >= stopAt)
            {
                lifetime.StopApplication();
            }
        }
    }
}
