using System.Diagnostics.Metrics;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Metrics;

/// <summary>The instruments of <see cref="MemoryPressureInstruments"/>, observed through the host's meter factory.</summary>
public class MetricsTests : ReactiveTest
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

    [Fact]
    public async Task Each_figure_of_the_sample_the_runtime_does_not_publish_has_an_instrument_that_reports_it()
    {
        // A 256 MiB container: the GC's 192 MiB cap, with 150 MiB on the heap, binds before the cgroup's limit and its memory.high.
        var sample = new MemorySample
        {
            ProcessResidentBytes = 210 * MemoryUnits.MB,
            ProcessLimitBytes = 256 * MemoryUnits.MB,
            ProcessLimitSource = MemoryLimitSource.Cgroup,
            ManagedHeapBytes = 150 * MemoryUnits.MB,
            SystemTotalBytes = 16 * MemoryUnits.GB,
            SystemAvailableBytes = 8 * MemoryUnits.GB,
            CgroupUsageBytes = 230 * MemoryUnits.MB,
            CgroupWorkingSetBytes = 200 * MemoryUnits.MB,
            CgroupLimitBytes = 256 * MemoryUnits.MB,
            CgroupHighBytes = 248 * MemoryUnits.MB,
            GcHeapHardLimitBytes = 192 * MemoryUnits.MB,
        };
        using var host = HostWith(sample);
        var figures = Figures(host);
        using var collectors = new CompositeDisposable(figures.Values);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(
            new Dictionary<string, long?>
            {
                [MemoryPressureInstruments.SystemMemoryLimit] = sample.SystemTotalBytes,
                [MemoryPressureInstruments.CgroupMemoryUsage] = sample.CgroupUsageBytes,
                [MemoryPressureInstruments.CgroupMemoryWorkingSet] = sample.CgroupWorkingSetBytes,
                [MemoryPressureInstruments.CgroupMemoryLimit] = sample.CgroupLimitBytes,
                [MemoryPressureInstruments.CgroupMemoryHigh] = sample.CgroupHighBytes,
                [MemoryPressureInstruments.GcHeapUsage] = sample.ManagedHeapBytes,
                [MemoryPressureInstruments.GcHeapLimit] = sample.GcHeapHardLimitBytes,
                [MemoryPressureInstruments.Headroom] = 42 * MemoryUnits.MB,
            },
            Read(figures));
        Assert.All(figures.Values, f => Assert.Equal("By", f.Instrument!.Unit));
    }

    [Fact]
    public async Task Figures_a_sample_does_not_have_are_not_measured_rather_than_shown_as_a_zero_limit()
    {
        // Outside a cgroup, with no GC cap and no system figures: only the heap has a figure, and no limit is known.
        using var host = HostWith(new MemorySample { ProcessResidentBytes = 50, ManagedHeapBytes = 30 });
        var figures = Figures(host);
        using var collectors = new CompositeDisposable(figures.Values);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(
            new Dictionary<string, long?>
            {
                [MemoryPressureInstruments.SystemMemoryLimit] = null,
                [MemoryPressureInstruments.CgroupMemoryUsage] = null,
                [MemoryPressureInstruments.CgroupMemoryWorkingSet] = null,
                [MemoryPressureInstruments.CgroupMemoryLimit] = null,
                [MemoryPressureInstruments.CgroupMemoryHigh] = null,
                [MemoryPressureInstruments.GcHeapUsage] = 30,
                [MemoryPressureInstruments.GcHeapLimit] = null,
                [MemoryPressureInstruments.Headroom] = null,
            },
            Read(figures));
    }

    [Fact]
    public async Task After_a_limit_changes_the_limit_instruments_report_the_new_limits_from_the_first_sample_that_read_them()
    {
        // A container resized from 256 MiB to 1 GiB, given a memory.high, and its GC's cap refreshed by the application.
        var before = new MemorySample
        {
            ProcessResidentBytes = 200 * MemoryUnits.MB,
            ProcessLimitBytes = 256 * MemoryUnits.MB,
            ProcessLimitSource = MemoryLimitSource.Cgroup,
            CgroupLimitBytes = 256 * MemoryUnits.MB,
            GcHeapHardLimitBytes = 192 * MemoryUnits.MB,
        };
        var after = before with
        {
            ProcessLimitBytes = 900 * MemoryUnits.MB,
            ProcessLimitSource = MemoryLimitSource.CgroupHigh,
            CgroupLimitBytes = MemoryUnits.GB,
            CgroupHighBytes = 900 * MemoryUnits.MB,
            GcHeapHardLimitBytes = 768 * MemoryUnits.MB,
        };
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => (o.Manager.Samples, o.Manager.FollowLimitChanges) = (_scheduler.CreateHotObservable(OnNext(210, before), OnNext(220, after)), false));
        using var host = builder.Build();
        var limits = new[] { MemoryPressureInstruments.ProcessMemoryLimit, MemoryPressureInstruments.CgroupMemoryLimit, MemoryPressureInstruments.CgroupMemoryHigh, MemoryPressureInstruments.GcHeapLimit }
            .ToDictionary(name => name, name => Collect<long>(host, name));
        using var collectors = new CompositeDisposable(limits.Values);
        var changes = new List<MemoryLimitChange>();
        host.Manager().LimitChanges.Subscribe(changes.Add);
        await host.StartAsync();

        _scheduler.AdvanceTo(215);
        var first = Read(limits);
        _scheduler.AdvanceTo(300);
        var second = Read(limits);

        Assert.Equal([256 * MemoryUnits.MB, 256 * MemoryUnits.MB, null, 192 * MemoryUnits.MB], first.Values);
        Assert.Equal([900 * MemoryUnits.MB, MemoryUnits.GB, 900 * MemoryUnits.MB, 768 * MemoryUnits.MB], second.Values);
        Assert.Equal([MemoryLimitSource.GcHeapHardLimit, MemoryLimitSource.CgroupHigh, MemoryLimitSource.Cgroup], changes.Select(c => c.Limit));
    }

    [Fact]
    public async Task Each_reaction_is_counted_with_its_level_and_whether_the_level_was_entered_or_acted_again()
    {
        // Room 9 enters levels 1 to 3; room 6, a third less, has level 3 act again. A reaction is counted at the sample after it.
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = _scheduler.CreateHotObservable([.. new long[] { 91, 92, 94, 95 }.Select((used, i) => OnNext(210 + (10 * i), Pressure.Sample(210 + (10 * i), used)))]));
        using var host = builder.Build();
        using var reactions = Collect<long>(host, MemoryPressureInstruments.Reactions);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(
            [(1, "entered"), (2, "entered"), (3, "entered"), (3, "repeated")],
            reactions.GetMeasurementSnapshot().Select(m => ((int)m.Tags[MemoryPressureInstruments.LevelAttribute]!, (string)m.Tags[MemoryPressureInstruments.ReactionKindAttribute]!)));
        Assert.All(reactions.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.Equal("{reaction}", reactions.Instrument!.Unit);
    }

    [Fact]
    public async Task The_headroom_goes_negative_over_the_binding_limit()
    {
        using var host = HostWith(new MemorySample { ManagedHeapBytes = 200 * MemoryUnits.MB, GcHeapHardLimitBytes = 192 * MemoryUnits.MB, SystemTotalBytes = 1000, SystemAvailableBytes = 500 });
        using var headroom = Collect<long>(host, MemoryPressureInstruments.Headroom);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        headroom.RecordObservableInstruments();

        Assert.Equal(-8 * MemoryUnits.MB, headroom.LastMeasurement!.Value);
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
                (o.Manager.Scheduler, o.Manager.CheckInterval) = (_scheduler, TimeSpan.FromTicks(100));
                o.Manager.Probe = new DelegateProbe(read => Pressure.AtLevel(0, read == 1 ? 3 : 0));
            }
            else
            {
                o.Manager.Samples = TestHosts.Hot(_scheduler, (1, 3), (100, 0));
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

    /// <summary>A host on the <see cref="Pressure"/> ladder judging one sample at tick 210.</summary>
    private IHost HostWith(MemorySample sample)
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = _scheduler.CreateHotObservable(OnNext(210, sample)));
        return builder.Build();
    }

    /// <summary>Collectors of the sample figures that the runtime's own meter does not publish.</summary>
    private static Dictionary<string, MetricCollector<long>> Figures(IHost host) =>
        new[]
        {
            MemoryPressureInstruments.SystemMemoryLimit, MemoryPressureInstruments.CgroupMemoryUsage, MemoryPressureInstruments.CgroupMemoryWorkingSet,
            MemoryPressureInstruments.CgroupMemoryLimit, MemoryPressureInstruments.CgroupMemoryHigh, MemoryPressureInstruments.GcHeapUsage, MemoryPressureInstruments.GcHeapLimit, MemoryPressureInstruments.Headroom,
        }.ToDictionary(name => name, name => Collect<long>(host, name));

    /// <summary>Each collector's measurement of one collection, or <see langword="null"/> when it measured nothing.</summary>
    private static Dictionary<string, long?> Read(Dictionary<string, MetricCollector<long>> figures)
    {
        foreach (var figure in figures.Values)
        {
            figure.RecordObservableInstruments();
        }

        return figures.ToDictionary(f => f.Key, f => f.Value.LastMeasurement?.Value);
    }

    private static MetricCollector<T> Collect<T>(IHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), MemoryPressureInstruments.MeterName, instrument);
}
