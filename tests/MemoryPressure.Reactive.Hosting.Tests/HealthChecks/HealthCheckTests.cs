using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.HealthChecks;

/// <summary>The health check maps the current level to a status, by default or as configured.</summary>
public class HealthCheckTests
{
    private readonly TestScheduler _scheduler = new();

    [Theory]
    [InlineData(0, HealthStatus.Healthy)]
    [InlineData(1, HealthStatus.Degraded)]
    [InlineData(2, HealthStatus.Degraded)]
    [InlineData(3, HealthStatus.Unhealthy)]
    public async Task By_default_level_0_is_healthy_the_levels_below_the_top_degraded_and_the_top_unhealthy(int level, HealthStatus expected)
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, level)], services => services.AddHealthChecks().AddMemoryPressure());

        var entry = await CheckAt(host, 300);

        Assert.Equal(expected, entry.Status);
    }

    [Theory]
    [InlineData(1, HealthStatus.Unhealthy)]
    [InlineData(2, HealthStatus.Unhealthy)]
    [InlineData(3, HealthStatus.Unhealthy)]
    public async Task A_configured_status_applies_to_its_level_and_the_levels_above_which_keep_the_worst(int level, HealthStatus expected)
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, level));
            (o.Levels[0].HealthStatus, o.Levels[1].HealthStatus, o.Levels[2].HealthStatus) = (HealthStatus.Unhealthy, HealthStatus.Healthy, HealthStatus.Degraded);
        });
        builder.Services.AddHealthChecks().AddMemoryPressure();
        using var host = builder.Build();

        var entry = await CheckAt(host, 300);

        Assert.Equal(expected, entry.Status);
    }

    [Fact]
    public async Task A_status_can_come_from_configuration()
    {
        var builder = TestHosts.Builder("good.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 2));
            (o.Manager.MaximumAvailableBytes, o.Levels[1].EnterAfter) = (Pressure.Limit, TimeSpan.Zero);
        });
        builder.Services.AddHealthChecks().AddMemoryPressure();
        using var host = builder.Build();

        var entry = await CheckAt(host, 300);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
    }

    [Fact]
    public async Task The_result_describes_the_level_and_carries_the_latest_sample()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 2)], services => services.AddHealthChecks().AddMemoryPressure("memory", ["ready"]));

        var entry = await CheckAt(host, 300, "memory");

        Assert.Equal("Memory pressure level 2 of 3: LocalRelative < 20%", entry.Description);
        Assert.Equal(["ready"], entry.Tags);
        Assert.Equal(
            [("level", (object)2), ("levels", 3), ("processResidentBytes", 85L), ("processLimitBytes", 100L), ("systemAvailableBytes", 500L)],
            entry.Data.Select(d => (d.Key, d.Value)));
    }

    [Fact]
    public async Task Adding_the_check_alone_registers_the_manager()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddHealthChecks().AddMemoryPressure();
        builder.Services.Configure<MemoryPressureHostingOptions>(o => o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 0)));
        using var host = builder.Build();

        var entry = await CheckAt(host, 300);

        Assert.Equal((HealthStatus.Healthy, "Memory pressure level 0 of 3: memory is fine"), (entry.Status, entry.Description));
    }

    private async Task<HealthReportEntry> CheckAt(IHost host, long ticks, string name = "memory_pressure")
    {
        await host.StartAsync();
        _scheduler.AdvanceTo(ticks);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[name];
    }
}
