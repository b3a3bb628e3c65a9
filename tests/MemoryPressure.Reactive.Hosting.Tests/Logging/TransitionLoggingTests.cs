using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Logging;

/// <summary>Each step is logged with its level, the condition that decided it and the sample's figures.</summary>
public class TransitionLoggingTests
{
    private const string Category = "MemoryPressure.Reactive.MemoryPressureManager";
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public async Task Entering_a_level_logs_a_warning_with_the_level_its_condition_and_the_sample_figures()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 2)]);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var entered = Records(host, "MemoryPressureLevelEntered");

        Assert.Equal(["1", "2"], entered.Select(r => r.GetStructuredStateValue("Level")));
        var second = entered[1];
        Assert.Equal((LogLevel.Warning, Category), (second.Level, second.Category));
        Assert.Equal("LocalRelative < 20%", second.GetStructuredStateValue("Condition"));
        Assert.Equal(
            ["85", "100", "500", "1000"],
            new[] { "ProcessResidentBytes", "ProcessLimitBytes", "SystemAvailableBytes", "SystemTotalBytes" }.Select(second.GetStructuredStateValue));
        Assert.Equal("Entered memory pressure level 2 (unnamed) on LocalRelative < 20%: resident 85 of 100 bytes, managed heap 0 bytes, system available 500 of 1000 bytes; the tightest limit is PhysicalMemory, 500 of 1000 bytes left", second.Message);
        Assert.Equal(nameof(MemoryLimitSource.PhysicalMemory), second.GetStructuredStateValue("BindingLimit"));
    }

    [Fact]
    public async Task Leaving_a_level_logs_the_condition_that_let_it_go_and_the_return_to_normal()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Samples = TestHosts.Hot(_scheduler, (210, 2), (220, 0));
            (o.Levels[1].Name, o.Levels[1].ExitCondition) = ("trim", MemoryCondition.Parse("!(LocalRelative < 25%)"));
        });
        using var host = builder.Build();
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var left = Records(host, "MemoryPressureLevelLeft");
        var normal = Assert.Single(Records(host, "MemoryPressureNormal"));

        Assert.Equal(
            [(LogLevel.Information, "2", "trim", "!(LocalRelative < 25%)"), (LogLevel.Information, "1", "unnamed", "!(LocalRelative < 30%)")],
            left.Select(r => (r.Level, r.GetStructuredStateValue("Level"), r.GetStructuredStateValue("LevelName"), r.GetStructuredStateValue("Condition"))));
        Assert.Equal("Memory is back to normal: resident 50 of 100 bytes", normal.Message);
        Assert.Equal(LogLevel.Information, normal.Level);
    }

    [Fact]
    public async Task A_failing_handler_is_logged_as_an_error_with_its_exception_and_monitoring_goes_on()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 1), (220, 0), (230, 1)]);
        host.Manager().Entered(1).Subscribe(_ => throw new InvalidOperationException("cache is gone"));
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var failures = Records(host, "MemoryPressureHandlerFailed");

        Assert.Equal(2, failures.Count);
        Assert.All(failures, r => Assert.Equal((LogLevel.Error, "cache is gone"), (r.Level, r.Exception?.Message)));
    }

    [Fact]
    public async Task Start_and_stop_are_logged_with_the_ladder_and_the_last_level()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 3)]);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);
        await host.StopAsync();

        var started = Assert.Single(Records(host, "MemoryPressureStarted"));
        var stopped = Assert.Single(Records(host, "MemoryPressureStopped"));

        Assert.Equal("Memory pressure monitoring started on 3 levels: 1: LocalRelative < 30%; 2: LocalRelative < 20%; 3: LocalRelative < 10%", started.Message);
        Assert.Equal("3", stopped.GetStructuredStateValue("Level"));
    }

    private static List<FakeLogRecord> Records(IHost host, string eventName) =>
        [.. host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == Category && r.Id.Name == eventName)];
}
