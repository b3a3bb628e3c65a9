using System.Diagnostics.Metrics;
using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Metrics;

/// <summary>The instruments of <see cref="MemoryPressureInstruments"/>, observed through the host's meter factory.</summary>
public class MetricsTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public async Task Each_step_is_counted_with_its_level_and_direction()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 3), (220, 1)]);
        using var transitions = Collect<long>(host, MemoryPressureInstruments.Transitions);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(
            [(1, "entered"), (2, "entered"), (3, "entered"), (3, "left"), (2, "left")],
            transitions.GetMeasurementSnapshot().Select(m => ((int)m.Tags[MemoryPressureInstruments.LevelAttribute]!, (string)m.Tags[MemoryPressureInstruments.DirectionAttribute]!)));
        Assert.All(transitions.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
    }

    [Fact]
    public async Task The_gauges_report_the_current_level_and_the_latest_sample_and_nothing_before_the_first()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 2)]);
        using var level = Collect<int>(host, MemoryPressureInstruments.SeverityLevel);
        using var usage = Collect<long>(host, MemoryPressureInstruments.ProcessMemoryUsage);
        using var limit = Collect<long>(host, MemoryPressureInstruments.ProcessMemoryLimit);
        using var available = Collect<long>(host, MemoryPressureInstruments.SystemMemoryAvailable);
        await host.StartAsync();

        usage.RecordObservableInstruments();
        Assert.Null(usage.LastMeasurement);

        _scheduler.AdvanceTo(300);
        level.RecordObservableInstruments();
        usage.RecordObservableInstruments();
        limit.RecordObservableInstruments();
        available.RecordObservableInstruments();

        Assert.Equal((2, 85L, 100L, 500L), (level.LastMeasurement!.Value, usage.LastMeasurement!.Value, limit.LastMeasurement!.Value, available.LastMeasurement!.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handler_duration_is_measured_per_step_up_to_the_end_of_the_sample_dispatch(bool polling)
    {
        var time = new FakeTimeProvider();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddSingleton<TimeProvider>(time).AddMemoryPressure(o =>
        {
            if (polling)
            {
                (o.Scheduler, o.CheckInterval) = (_scheduler, TimeSpan.FromTicks(100));
                o.Probe = new DelegateProbe(read => Pressure.AtLevel(0, read == 1 ? 3 : 0));
            }
            else
            {
                o.Samples = TestHosts.Hot(_scheduler, (1, 3), (100, 0));
            }
        });
        using var host = builder.Build();
        using var durations = Collect<double>(host, MemoryPressureInstruments.HandlerDuration);
        var manager = host.Manager();
        manager.Entered(2).Subscribe(_ => time.Advance(TimeSpan.FromMilliseconds(250)));
        manager.Entered(3).Subscribe(_ => time.Advance(TimeSpan.FromMilliseconds(500)));
        manager.Left(1).Subscribe(_ => time.Advance(TimeSpan.FromSeconds(1)));
        _scheduler.ScheduleAbsolute(50, () => time.Advance(TimeSpan.FromSeconds(10)));

        await host.StartAsync();
        _scheduler.AdvanceTo(150);

        Assert.Equal(
            [(1, "entered", 0), (2, "entered", 0.25), (3, "entered", 0.5), (3, "left", 0), (2, "left", 0), (1, "left", 1)],
            durations.GetMeasurementSnapshot().Select(m => ((int)m.Tags[MemoryPressureInstruments.LevelAttribute]!, (string)m.Tags[MemoryPressureInstruments.DirectionAttribute]!, m.Value)));
    }

    [Fact]
    public async Task Failures_are_counted_by_exception_type()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 1)]);
        using var errors = Collect<long>(host, MemoryPressureInstruments.Errors);
        host.Manager().Entered(1).Subscribe(_ => throw new InvalidOperationException("cache is gone"));
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var failure = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal(("System.InvalidOperationException", 1L), (failure.Tags["error.type"], failure.Value));
    }

    private static MetricCollector<T> Collect<T>(IHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), MemoryPressureInstruments.MeterName, instrument);
}
