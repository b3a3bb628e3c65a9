using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Logging;

/// <summary>Each step is logged with its level, the condition that decided it and the sample's figures.</summary>
public class TransitionLoggingTests : ReactiveTest
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
        Assert.Equal("Entered memory pressure level 2 (unnamed) on LocalRelative < 20%: resident 85 B of 100 B, managed heap 0 B, system available 500 B of 1000 B; the tightest limit is PhysicalMemory, 500 B of 1000 B left", second.Message);
        Assert.Equal(nameof(MemoryLimitSource.PhysicalMemory), second.GetStructuredStateValue("BindingLimit"));
    }

    [Fact]
    public async Task Leaving_a_level_logs_the_condition_that_let_it_go_and_the_return_to_normal()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 2), (220, 0));
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
        Assert.Equal("Memory is back to normal: resident 50 B of 100 B", normal.Message);
        Assert.Equal(LogLevel.Information, normal.Level);
    }

    [Fact]
    public async Task Figures_are_logged_in_human_units_and_kept_as_exact_byte_counts()
    {
        var sample = new MemorySample
        {
            ProcessResidentBytes = 64_907_059,
            ProcessLimitBytes = 100 * MemoryUnits.MB,
            ManagedHeapBytes = 1536 * MemoryUnits.KB,
            SystemAvailableBytes = 3 * MemoryUnits.GB / 2,
            SystemTotalBytes = 16 * MemoryUnits.GB,
            CgroupLimitBytes = 100 * MemoryUnits.MB,
            CgroupWorkingSetBytes = 90 * MemoryUnits.MB,
        };
        var builder = TestHosts.Builder();
        builder.Services.AddMemoryPressure(o =>
        {
            o.Manager.Samples = _scheduler.CreateHotObservable(OnNext(210, sample), OnNext(220, sample with { ProcessResidentBytes = 10 * MemoryUnits.MB }));
            o.Levels.Add(new MemoryPressureLevelOptions { Condition = new LocalRelativeValue(50) });
        });
        using var host = builder.Build();
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var entered = Assert.Single(Records(host, "MemoryPressureLevelEntered"));
        var normal = Assert.Single(Records(host, "MemoryPressureNormal"));

        Assert.Equal(
            "Entered memory pressure level 1 (unnamed) on LocalRelative < 50%: resident 61.9 MiB of 100 MiB, managed heap 1.5 MiB, "
            + "system available 1.5 GiB of 16 GiB; the tightest limit is Cgroup, 10 MiB of 100 MiB left",
            entered.Message);
        Assert.Equal(
            [("61.9 MiB", "64907059"), ("100 MiB", "104857600"), ("1.5 MiB", "1572864"), ("1.5 GiB", "1610612736"), ("16 GiB", "17179869184"), ("10 MiB", "10485760"), ("100 MiB", "104857600")],
            new[] { "ProcessResident", "ProcessLimit", "ManagedHeap", "SystemAvailable", "SystemTotal", "BindingHeadroom", "BindingLimitSize" }
                .Select(name => (entered.GetStructuredStateValue(name), entered.GetStructuredStateValue(name == "BindingLimitSize" ? "BindingLimitBytes" : name + "Bytes"))));
        Assert.Equal("Memory is back to normal: resident 10 MiB of 100 MiB", normal.Message);
        Assert.Equal("10485760", normal.GetStructuredStateValue("ProcessResidentBytes"));
        Assert.Equal("{OriginalFormat}", entered.StructuredState![^1].Key);
    }

    [Fact]
    public async Task A_failing_handler_is_logged_as_an_error_with_its_event_its_level_and_its_exception_and_monitoring_goes_on()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 2), (220, 0), (230, 1)]);
        var manager = host.Manager();
        manager.Entered(1).Subscribe(_ => throw new InvalidOperationException("cache is gone"));
        var cache = new object();
        manager.CleanupOnEntered(2, cache, _ => throw new InvalidOperationException("pool is gone"));
        manager.MemoryNormal.Subscribe(_ => throw new InvalidOperationException("no normal"));
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var failures = Records(host, "MemoryPressureHandlerFailed");

        Assert.Equal(
            [
                ("A memory pressure handler failed on Entered at level 1; monitoring goes on", "Entered", "1", "cache is gone"),
                ("A memory pressure handler failed on CleanupOnEntered at level 2; monitoring goes on", "CleanupOnEntered", "2", "pool is gone"),
                ("A memory pressure handler failed on MemoryNormal at level 0; monitoring goes on", "MemoryNormal", "0", "no normal"),
                ("A memory pressure handler failed on Entered at level 1; monitoring goes on", "Entered", "1", "cache is gone"),
            ],
            failures.Select(r => (r.Message, r.GetStructuredStateValue("HandlerEvent"), r.GetStructuredStateValue("Level"), r.Exception?.Message)));
        Assert.All(failures, r => Assert.Equal(LogLevel.Error, r.Level));
        Assert.Equal(1, manager.SeverityLevel);
        GC.KeepAlive(cache);
    }

    [Fact]
    public async Task A_failure_that_is_no_handlers_is_logged_as_such_without_an_event()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = _scheduler.CreateHotObservable(OnError<MemorySample>(210, new IOException("source gone"))));
        using var host = builder.Build();
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var failure = Assert.Single(Records(host, "MemoryPressureFailed"));

        Assert.Equal(("A memory pressure probe, condition, sample source or extension failed; monitoring goes on", LogLevel.Error, "source gone"), (failure.Message, failure.Level, failure.Exception?.Message));
        Assert.Null(failure.GetStructuredStateValue("HandlerEvent"));
        Assert.Empty(Records(host, "MemoryPressureHandlerFailed"));
    }

    [Fact]
    public async Task A_handler_still_running_after_the_timeout_is_logged_with_its_event_and_level_while_it_runs()
    {
        // Real time, bounded by the event it waits for: the watchdog's timer is the manager's own.
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => (o.Manager.Samples, o.Manager.HandlerTimeout) = (TestHosts.Hot(_scheduler, (210, 2)), TimeSpan.FromMilliseconds(50)));
        using var host = builder.Build();
        using var reported = new ManualResetEventSlim();
        var manager = host.Manager();
        manager.Errors.Subscribe(_ => reported.Set());
        bool? loggedWhileRunning = null;
        manager.Entered(2).Subscribe(_ => loggedWhileRunning = reported.Wait(TimeSpan.FromSeconds(30)));
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.True(loggedWhileRunning);
        var timedOut = Assert.Single(Records(host, "MemoryPressureHandlerTimedOut"));
        Assert.Equal(
            ("A memory pressure handler on Entered at level 2 is still running after 50 ms; the manager's later events and samples wait for it", LogLevel.Error, "Entered", "2"),
            (timedOut.Message, timedOut.Level, timedOut.GetStructuredStateValue("HandlerEvent"), timedOut.GetStructuredStateValue("Level")));
        Assert.IsType<HandlerTimeoutException>(timedOut.Exception);
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

    [Fact]
    public async Task At_trace_each_judged_sample_is_logged_with_its_own_time_and_the_level_it_left_memory_at()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = TestHosts.Hot(_scheduler, (12_345_000, 2), (12_346_000, 0)));
        using var host = builder.Build();
        await host.StartAsync();
        _scheduler.AdvanceTo(20_000_000);

        var samples = Records(host, "MemoryPressureSample");

        Assert.Equal([(LogLevel.Trace, "2"), (LogLevel.Trace, "0")], samples.Select(r => (r.Level, r.GetStructuredStateValue("Level"))));
        Assert.Matches(
            @"^Memory sample of 00:00:01\.2345 at level 2, handled in \d+(\.\d)? ms: resident 85 B of 100 B, managed heap 0 B, system available 500 B of 1000 B; cgroup working set 0 B, the GC's cap 0 B$",
            samples[0].Message);
        Assert.Equal("00:00:01.2346", samples[1].GetStructuredStateValue("SampleTime"));
    }

    [Fact]
    public async Task Samples_are_not_logged_at_the_default_level()
    {
        using var host = TestHosts.WithSamples(_scheduler, [(210, 2), (220, 0)]);
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.NotEmpty(Records(host, "MemoryPressureLevelEntered"));
        Assert.Empty(Records(host, "MemoryPressureSample"));
    }

    [Fact]
    public async Task Each_limit_that_changed_is_logged_in_human_units_with_what_was_done()
    {
        var before = new MemorySample { ProcessResidentBytes = 200 * MemoryUnits.MB, ProcessLimitBytes = 256 * MemoryUnits.MB, CgroupLimitBytes = 256 * MemoryUnits.MB, GcHeapHardLimitBytes = 192 * MemoryUnits.MB };
        var resized = before with { ProcessLimitBytes = MemoryUnits.GB, CgroupLimitBytes = MemoryUnits.GB };
        var throttled = resized with { CgroupHighBytes = 3 * MemoryUnits.GB / 2 };
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
            (o.Manager.Samples, o.Manager.FollowLimitChanges) = (_scheduler.CreateHotObservable(OnNext(210, before), OnNext(220, resized), OnNext(230, throttled)), false));
        using var host = builder.Build();
        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        var changes = Records(host, "MemoryPressureLimitChanged");

        Assert.Equal(
            [
                "Memory limit Cgroup changed from 256 MiB to 1 GiB: not followed (FollowLimitChanges is off); the GC's cap is 192 MiB",
                "Memory limit CgroupHigh changed from none to 1.5 GiB: the GC does not read memory.high; the GC's cap is 192 MiB",
            ],
            changes.Select(r => r.Message));
        Assert.All(changes, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Equal(
            ("Cgroup", "268435456", "1073741824", "201326592", nameof(MemoryLimitResponse.NotFollowed)),
            (changes[0].GetStructuredStateValue("Limit"), changes[0].GetStructuredStateValue("LimitBeforeBytes"), changes[0].GetStructuredStateValue("LimitAfterBytes"),
                changes[0].GetStructuredStateValue("GcHeapHardLimitBytes"), changes[0].GetStructuredStateValue("Response")));
    }

    [Fact]
    public void A_limit_the_GC_followed_is_logged_with_its_new_cap_and_one_it_refused_as_a_warning()
    {
        var logger = new FakeLogger();
        var log = new TransitionLog(logger, Pressure.Ladder);
        var sample = new MemorySample { CgroupLimitBytes = MemoryUnits.GB };

        log.OnLimitChanged(new MemoryLimitChange(MemoryLimitSource.Cgroup, 256 * MemoryUnits.MB, MemoryUnits.GB, MemoryLimitResponse.GcLimitRefreshed, sample) { GcHeapHardLimitBytes = 768 * MemoryUnits.MB });
        log.OnLimitChanged(new MemoryLimitChange(MemoryLimitSource.Cgroup, MemoryUnits.GB, 128 * MemoryUnits.MB, MemoryLimitResponse.GcLimitRefused, sample) { GcHeapHardLimitBytes = 768 * MemoryUnits.MB });
        log.OnLimitChanged(new MemoryLimitChange(MemoryLimitSource.GcHeapHardLimit, 768 * MemoryUnits.MB, 0, MemoryLimitResponse.None, sample));

        Assert.Equal(
            [
                (LogLevel.Information, "Memory limit Cgroup changed from 256 MiB to 1 GiB: the GC's cap follows, now 768 MiB"),
                (LogLevel.Warning, "Memory limit Cgroup changed from 1 GiB to 128 MiB: the GC refused to follow, even after a full collection, and is asked again at later samples; the GC's cap is 768 MiB"),
                (LogLevel.Information, "Memory limit GcHeapHardLimit changed from 768 MiB to none: set by the GC itself, nothing to follow; the GC's cap is none"),
            ],
            logger.Collector.GetSnapshot().Select(r => (r.Level, r.Message)));
    }

    [Fact]
    public async Task The_levels_that_trim_the_native_heap_are_logged_at_start_with_what_a_trim_does_here()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = System.Reactive.Linq.Observable.Never<MemorySample>());
        using var host = builder.Build();
        using var untrimmed = TestHosts.WithSamples(_scheduler, []);
        await host.StartAsync();
        await untrimmed.StartAsync();

        var trim = Assert.Single(Records(host, "MemoryPressureNativeHeapTrim"));

        Assert.Equal((LogLevel.Information, $"Memory pressure levels 2, 3 trim the native heap: {NativeHeap.Status}"), (trim.Level, trim.Message));
        Assert.Empty(Records(untrimmed, "MemoryPressureNativeHeapTrim"));
        await host.StopAsync();
        await untrimmed.StopAsync();
    }

    private static List<FakeLogRecord> Records(IHost host, string eventName) =>
        [.. host.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Category == Category && r.Id.Name == eventName)];
}
