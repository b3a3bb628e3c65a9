using System.Diagnostics;
using System.Globalization;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// The kernel sources against real cgroups and child processes: a monitor in this process watches a
/// child's cgroup. Serial, skipped with the reason where the machine lacks what they need; every
/// cgroup, child and file is removed in <c>finally</c> (the <c>using</c> declarations).
/// </summary>
[Collection(SerialTests.Name)]
public class KernelTriggerTests(ITestOutputHelper log)
{
    private const long MiB = 1L << 20;
    private const long Limit = 128 * MiB;
    private static readonly TimeSpan ChildStart = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PressureDuration = TimeSpan.FromSeconds(60);

    /// <summary>Level 1 at 96 MiB of the 128 MiB limit, level 2 at 112 MiB.</summary>
    private static SeverityLadder Ladder => new(new LocalRelativeValue(25), new LocalRelativeValue(12.5));

    [SkippableFact]
    public void A_child_climbing_to_its_v1_limit_is_seen_entering_a_level_through_a_usage_threshold_before_it_is_OOM_killed()
    {
        SkipUnlessV1EventsCanBeMade();
        using var cgroup = TemporaryMemoryCgroup.Create(Limit);
        using var child = StartClimber(cgroup, stepKiB: 1024, pauseMilliseconds: 5);
        var output = new ChildOutput(child);
        output.WaitFor("ready", ChildStart);
        using var loop = new GatedEventLoop();
        using var manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions
        {
            Probe = new CgroupUsageProbe(cgroup.Directory),
            Scheduler = loop.Scheduler,
            CheckInterval = TimeSpan.FromHours(1),
            Triggers = Only(TriggerSource.UsageThreshold, child.Id),
        });
        using var firstSample = new ManualResetEventSlim();
        manager.Samples.Subscribe(_ => firstSample.Set());
        var entered = new TaskCompletionSource<(long Signals, long OomKills)>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.Entered(1).Subscribe(_ => entered.TrySetResult((Status(manager, TriggerSource.UsageThreshold).Signals, OomKills(cgroup))));
        loop.Open();
        Assert.True(firstSample.Wait(TimeSpan.FromSeconds(10)), "no first sample");
        Assert.StartsWith("2 thresholds on ", Status(manager, TriggerSource.UsageThreshold).Detail);

        child.StandardInput.WriteLine("go");

        // Polling is once an hour: only the usage threshold can bring the sample that enters level 1.
        Assert.True(entered.Task.Wait(TimeSpan.FromSeconds(30)), "level 1 was not entered within 30 s");
        var (signals, oomKillsAtEntry) = entered.Task.Result;
        Assert.True(signals >= 1, "the usage threshold had not signalled when level 1 was entered");
        Assert.Equal(0, oomKillsAtEntry);
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(30)), "the child was not killed at its limit");
        Assert.Equal(137, child.ExitCode);
        Assert.Equal(1, OomKills(cgroup));
    }

    [SkippableFact]
    public void A_child_under_sustained_memory_pressure_in_its_own_v2_cgroup_fires_a_PSI_trigger()
    {
        SkipUnlessV1EventsCanBeMade();
        var unavailable = TemporaryUnifiedCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);

        // On a hybrid host the v2 cgroup has no memory controller: the v1 cgroup's limit makes the
        // pressure, and PSI counts the stalls of the child in its v2 cgroup.
        using var unified = TemporaryUnifiedCgroup.Create();
        var detail = AssertPressureOnAChildFires(TriggerSource.PressureStall, unified);

        Assert.Contains($"on {unified.PressurePath}", detail);
    }

    [SkippableFact]
    public void A_child_under_reclaim_pressure_in_its_v1_cgroup_fires_the_medium_pressure_level()
    {
        SkipUnlessV1EventsCanBeMade();

        var detail = AssertPressureOnAChildFires(TriggerSource.PressureLevel, unified: null);

        Assert.EndsWith("memory.pressure_level", detail);
    }

    [SkippableFact]
    public void A_PSI_trigger_whose_cgroup_is_removed_fails_visibly_and_polling_goes_on()
    {
        SkipUnlessV1EventsCanBeMade();
        var unavailable = TemporaryUnifiedCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var unified = TemporaryUnifiedCgroup.Create();
        using var cgroup = TemporaryMemoryCgroup.Create(Limit);
        using var child = StartClimber(cgroup, stepKiB: 1024, pauseMilliseconds: 5);
        new ChildOutput(child).WaitFor("ready", ChildStart);
        unified.Add(child.Id);
        using var monitor = new FailureMonitor(Only(TriggerSource.PressureStall, child.Id));
        Assert.Equal(TriggerState.Active, Status(monitor.Manager, TriggerSource.PressureStall).State);

        cgroup.Dispose();
        unified.Dispose();

        monitor.AssertFailedAndPollingGoesOn(TriggerSource.PressureStall);
    }

    [SkippableFact]
    public void V1_notifications_whose_cgroup_is_removed_fail_visibly_and_polling_goes_on()
    {
        SkipUnlessV1EventsCanBeMade();
        using var cgroup = TemporaryMemoryCgroup.Create(Limit);
        using var child = StartClimber(cgroup, stepKiB: 1024, pauseMilliseconds: 5);
        new ChildOutput(child).WaitFor("ready", ChildStart);
        var triggers = Only(TriggerSource.UsageThreshold, child.Id);
        triggers.PressureLevel = true;
        using var monitor = new FailureMonitor(triggers);
        Assert.Equal(TriggerState.Active, Status(monitor.Manager, TriggerSource.PressureLevel).State);
        Assert.StartsWith("2 thresholds on ", Status(monitor.Manager, TriggerSource.UsageThreshold).Detail);

        cgroup.Dispose();

        monitor.AssertFailedAndPollingGoesOn(TriggerSource.UsageThreshold, TriggerSource.PressureLevel);
    }

    [SkippableFact]
    public void Disposal_stops_the_kernel_event_thread_and_closes_every_descriptor()
    {
        var (made, left) = MakeAndDispose(disposeFromHandler: false);

        Assert.Single(made.WatcherThreads);
        Assert.NotEmpty(made.EventFds);
        Assert.True(left.IsEmpty, $"left behind: {left}");
    }

    [SkippableFact]
    public void Disposal_from_a_handler_on_the_sampling_thread_stops_the_kernel_event_thread_too()
    {
        var (made, left) = MakeAndDispose(disposeFromHandler: true);

        Assert.Single(made.WatcherThreads);
        Assert.True(left.IsEmpty, $"left behind: {left}");
    }

    /// <summary>Starts a manager with every kernel source, and disposes it after its first sample.</summary>
    /// <returns>What the manager made, read at its first sample, and what of it is left after disposal.</returns>
    private static (KernelResources Made, KernelResources Left) MakeAndDispose(bool disposeFromHandler)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the kernel sources are Linux only");
        var before = KernelResources.Read();
        using var loop = new GatedEventLoop();
        var manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => new MemorySample { ProcessLimitBytes = Limit, ProcessResidentBytes = 10 * MiB }),
            Scheduler = loop.Scheduler,
            CheckInterval = TimeSpan.FromHours(1),
        });
        try
        {
            Skip.IfNot(
                manager.Triggers.Any(t => (t.Source is TriggerSource.PressureStall or TriggerSource.UsageThreshold or TriggerSource.PressureLevel) && t.State == TriggerState.Active),
                $"no kernel source runs here: {string.Join("; ", manager.Triggers)}");
            KernelResources? made = null;
            using var handled = new ManualResetEventSlim();
            manager.Samples.Subscribe(_ =>
            {
                made = KernelResources.Read().Since(before);
                if (disposeFromHandler)
                {
                    manager.Dispose();
                }

                handled.Set();
            });
            loop.Open();
            Assert.True(handled.Wait(TimeSpan.FromSeconds(10)), "no first sample");
            manager.Dispose();
            return (made!, KernelResources.LeftOf(made!, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            manager.Dispose();
        }
    }

    /// <summary>
    /// Starts a child that fills its 128 MiB v1 cgroup and then keeps rewriting a file (reclaim waits
    /// for writeback: a steady stall), watched by a manager that polls once an hour with only
    /// <paramref name="source"/> on, and checks that the source brings a sample while the pressure
    /// lasts. How soon is logged, not asserted: a loaded machine slows the child's thrashing; the
    /// test log shows it.
    /// </summary>
    /// <returns>The source's status detail, with what it watched.</returns>
    private string AssertPressureOnAChildFires(TriggerSource source, TemporaryUnifiedCgroup? unified)
    {
        using var cgroup = TemporaryMemoryCgroup.Create(Limit);
        var file = Path.Combine(Path.GetTempPath(), $"mpr-thrash-{Guid.NewGuid():N}");
        try
        {
            using var child = cgroup.Start(
                TestChild.DotnetHost, TestChild.Assembly, "thrash", cgroup.Directory, Invariant(100 * MiB), file, Invariant(48 * MiB), Invariant((long)PressureDuration.TotalSeconds));
            var output = new ChildOutput(child);
            output.WaitFor("ready", ChildStart);
            unified?.Add(child.Id);
            using var reads = new SemaphoreSlim(0);
            using var manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions
            {
                Probe = new DelegateProbe(_ =>
                {
                    reads.Release();
                    return Pressure.AtLevel(0, 0);
                }),
                CheckInterval = TimeSpan.FromHours(1),
                Triggers = Only(source, child.Id),
            });
            Assert.True(reads.Wait(TimeSpan.FromSeconds(10)), "no first sample");
            Assert.Equal(TriggerState.Active, Status(manager, source).State);

            // Nothing reads the pressure file while a PSI trigger waits: reading it kept triggers from firing here.
            child.StandardInput.WriteLine("go");
            output.WaitFor("at-limit", ChildStart);
            var pressure = Stopwatch.StartNew();

            Assert.True(reads.Wait(PressureDuration), $"no sample in the {PressureDuration.TotalSeconds} s the pressure lasts");
            log.WriteLine($"{source} fired {pressure.Elapsed.TotalSeconds:0.00} s after the pressure began");
            var status = Status(manager, source);
            Assert.True(status.Signals >= 1);
            return status.Detail;
        }
        finally
        {
            cgroup.Dispose();
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void A_limit_written_on_a_childs_v1_cgroup_brings_a_sample_at_once_through_the_LimitWrites_source()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var cgroup = TemporaryMemoryCgroup.Create(Limit);
        using var child = StartClimber(cgroup, stepKiB: 1024, pauseMilliseconds: 5);
        new ChildOutput(child).WaitFor("ready", ChildStart);
        using var reads = new SemaphoreSlim(0);
        using var manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ =>
            {
                reads.Release();
                return Pressure.AtLevel(0, 0);
            }),
            CheckInterval = TimeSpan.FromHours(1),
            Triggers = Only(TriggerSource.LimitWrites, child.Id),
        });
        Assert.True(reads.Wait(TimeSpan.FromSeconds(10)), "no first sample");
        var status = Status(manager, TriggerSource.LimitWrites);
        Assert.Equal(TriggerState.Active, status.State);
        Assert.Contains(Path.Combine(cgroup.Directory, "memory.limit_in_bytes"), status.Detail, StringComparison.Ordinal);

        // Polling is once an hour: only the write can bring the next sample.
        var written = Stopwatch.StartNew();
        cgroup.Write("memory.limit_in_bytes", 2 * Limit);

        Assert.True(reads.Wait(TimeSpan.FromSeconds(10)), "no sample within 10 s of the write");
        log.WriteLine($"sampled {written.Elapsed.TotalMilliseconds:0.0} ms after the write");
        // An opening that truncates and the write itself may each count.
        Assert.InRange(Status(manager, TriggerSource.LimitWrites).Signals, 1, 2);
    }

    private static void SkipUnlessV1EventsCanBeMade()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        Skip.IfNot(File.Exists("/sys/fs/cgroup/memory/cgroup.event_control"), "the cgroup v1 memory controller has no cgroup.event_control");
    }

    private static Process StartClimber(TemporaryMemoryCgroup cgroup, int stepKiB, int pauseMilliseconds) =>
        cgroup.Start(
            TestChild.DotnetHost, TestChild.Assembly, "climb", cgroup.Directory, Invariant(stepKiB), Invariant(pauseMilliseconds), Invariant(96 * MiB), "0");

    private static MemoryPressureTriggers Only(TriggerSource source, int processId) => new()
    {
        Gen2Collections = false,
        Collections = false,
        PressureStall = source == TriggerSource.PressureStall,
        UsageThresholds = source == TriggerSource.UsageThreshold,
        PressureLevel = source == TriggerSource.PressureLevel,
        LimitWrites = source == TriggerSource.LimitWrites,
        ProcessId = processId,
    };

    private static TriggerStatus Status(MemoryPressureManager manager, TriggerSource source) =>
        manager.Triggers.Single(t => t.Source == source);

    /// <summary>Reads the "oom_kill" count of a v1 memory cgroup's <c>memory.oom_control</c>.</summary>
    private static long OomKills(TemporaryMemoryCgroup cgroup) =>
        File.ReadLines(Path.Combine(cgroup.Directory, "memory.oom_control"))
            .Select(line => line.Split(' '))
            .Where(fields => fields[0] == "oom_kill")
            .Select(fields => long.Parse(fields[1], CultureInfo.InvariantCulture))
            .Single();

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A manager polling every 100 ms with the given sources, its errors and reads counted.</summary>
    private sealed class FailureMonitor : IDisposable
    {
        private readonly SemaphoreSlim _reads = new(0);
        private readonly SemaphoreSlim _errors = new(0);

        public FailureMonitor(MemoryPressureTriggers triggers)
        {
            Manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions
            {
                Probe = new DelegateProbe(_ =>
                {
                    _reads.Release();
                    return new MemorySample { ProcessLimitBytes = Limit, ProcessResidentBytes = 10 * MiB };
                }),
                CheckInterval = TimeSpan.FromMilliseconds(100),
                Triggers = triggers,
            });
            Manager.Errors.Subscribe(e =>
            {
                Errors.Enqueue(e);
                _errors.Release();
            });

            // The second read starts after the first sample, which placed the thresholds, was judged.
            Assert.True(_reads.Wait(TimeSpan.FromSeconds(10)) && _reads.Wait(TimeSpan.FromSeconds(10)), "no samples");
        }

        public MemoryPressureManager Manager { get; }

        public System.Collections.Concurrent.ConcurrentQueue<Exception> Errors { get; } = new();

        public void AssertFailedAndPollingGoesOn(params TriggerSource[] sources)
        {
            foreach (var _ in sources)
            {
                Assert.True(_errors.Wait(TimeSpan.FromSeconds(10)), $"fewer than {sources.Length} failures reported: {string.Join("; ", Manager.Triggers)}");
            }

            foreach (var source in sources)
            {
                var status = Status(Manager, source);
                Assert.Equal(TriggerState.Failed, status.State);
                Assert.Contains(Errors, e => e.Message.Contains(status.Detail, StringComparison.Ordinal));
            }

            while (_reads.Wait(0))
            {
            }

            Assert.True(_reads.Wait(TimeSpan.FromSeconds(5)), "polling stopped");
        }

        public void Dispose()
        {
            Manager.Dispose();
            _reads.Dispose();
            _errors.Dispose();
        }
    }
}
