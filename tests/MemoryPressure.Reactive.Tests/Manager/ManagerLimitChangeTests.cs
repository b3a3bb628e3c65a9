using MemoryPressure.Reactive.Limits;
using MemoryPressure.Reactive.Probes;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>Limits that move while the process runs: seen, published, and followed by the GC's cap, in virtual time.</summary>
public class ManagerLimitChangeTests : ReactiveTest
{
    private const long MiB = 1 << 20;
    private static readonly long Second = TimeSpan.TicksPerSecond;

    /// <summary>A GC whose cap is 75% of the cgroup limit it last read, which refuses caps below what it has "committed".</summary>
    private sealed class FakeGc(Func<long> cgroupLimit) : IGcHeapLimit
    {
        /// <summary>Gets or sets the cap: at first, what the GC read of the limit when the process started.</summary>
        public long Cap { get; set; } = cgroupLimit() * 3 / 4;

        public long CommittedBytes { get; set; }

        public List<string> Calls { get; } = [];

        public Func<int>? LevelAtRefresh { get; set; }

        public List<int> LevelsAtRefresh { get; } = [];

        public long Read(long cgroupLimitBytes) => Cap;

        public void Refresh()
        {
            Calls.Add("refresh");
            LevelsAtRefresh.Add(LevelAtRefresh?.Invoke() ?? -1);
            var cap = cgroupLimit() * 3 / 4;
            if (cap < CommittedBytes)
            {
                throw new InvalidOperationException("committed more than the new cap");
            }

            Cap = cap;
        }

        public void Collect() => Calls.Add("collect");
    }

    private sealed class Run : IDisposable
    {
        public Run(SeverityLadder ladder, bool follow, params (long Seconds, long LimitMiB, long HighMiB)[] samples)
        {
            var feed = new System.Reactive.Subjects.Subject<MemorySample>();
            foreach (var (seconds, limitMiB, highMiB) in samples)
            {
                // The kernel's limit moves, then a probe reads it with the GC's cap of the moment.
                Scheduler.ScheduleAbsolute(seconds * Second, () =>
                {
                    CurrentLimit = limitMiB * MiB;
                    feed.OnNext(Sample(seconds, limitMiB, highMiB, Gc!));
                });
            }

            CurrentLimit = samples.Length > 0 ? samples[0].LimitMiB * MiB : 0;
            Gc = new FakeGc(() => CurrentLimit);
            Manager = new MemoryPressureManager(ladder, new MemoryPressureOptions { Samples = feed, Scheduler = Scheduler, FollowLimitChanges = follow, GcHeapLimit = Gc });
            Gc.LevelAtRefresh = () => Manager.SeverityLevel;
            Manager.Errors.Subscribe(Errors.Add);
            Manager.LimitChanges.Subscribe(Changes.Add);
            Manager.Samples.Subscribe(Judged.Add);
        }

        public TestScheduler Scheduler { get; } = new();

        public FakeGc Gc { get; }

        public long CurrentLimit { get; private set; }

        public MemoryPressureManager Manager { get; }

        public List<Exception> Errors { get; } = [];

        public List<MemoryLimitChange> Changes { get; } = [];

        public List<MemorySample> Judged { get; } = [];

        public void Dispose() => Manager.Dispose();

        /// <summary>A sample whose GC cap is what the fake GC has at the moment it is read, as the runtime's probe reads it.</summary>
        private static MemorySample Sample(long seconds, long limitMiB, long highMiB, FakeGc gc) => new()
        {
            Timestamp = new DateTimeOffset(seconds * Second, TimeSpan.Zero),
            ProcessResidentBytes = 300 * MiB,
            ManagedHeapBytes = 200 * MiB,
            ProcessLimitBytes = limitMiB * MiB,
            ProcessLimitSource = MemoryLimitSource.Cgroup,
            CgroupLimitBytes = limitMiB * MiB,
            CgroupHighBytes = highMiB * MiB,
            GcHeapHardLimitBytes = gc.Cap,
            SystemTotalBytes = 24L << 30,
            SystemAvailableBytes = 20L << 30,
        };
    }

    private static SeverityLadder Ladder => new(new LocalRelativeValue(50));

    [Fact]
    public void A_raised_limit_refreshes_the_GC_before_the_sample_is_judged_with_the_new_cap()
    {
        using var run = new Run(Ladder, follow: true, (1, 256, 0), (2, 1024, 0), (3, 1024, 0));

        run.Scheduler.Start();

        var change = Assert.Single(run.Changes);
        Assert.Equal(new MemoryLimitChange(MemoryLimitSource.Cgroup, 256 * MiB, 1024 * MiB, MemoryLimitResponse.GcLimitRefreshed, run.Judged[1]) { GcHeapHardLimitBytes = 768 * MiB }, change);
        Assert.True(change.IsRaise);
        Assert.Equal(768 * MiB, run.Judged[1].GcHeapHardLimitBytes);

        // The first refresh is the first sample's, which found the cap the GC started with.
        Assert.Equal(["refresh", "refresh"], run.Gc.Calls);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public void A_lowered_limit_is_judged_first_then_the_GC_is_told()
    {
        using var run = new Run(Ladder, follow: true, (1, 1024, 0), (2, 512, 0), (3, 512, 0));
        var order = new List<string>();
        run.Manager.Entered(1).Subscribe(_ => order.Add("entered 1"));
        run.Manager.LimitChanges.Subscribe(c => order.Add($"change {c.Response}"));

        run.Scheduler.Start();

        // 300 MiB resident of 512 leaves 41% of room: level 1 holds at the new limit, and is entered before the refresh.
        Assert.Equal(["entered 1", "change GcLimitRefreshed"], order);
        Assert.Equal([0, 1], run.Gc.LevelsAtRefresh);
        var change = Assert.Single(run.Changes);
        Assert.False(change.IsRaise);
        Assert.Equal((1024 * MiB, 512 * MiB, 384 * MiB), (change.BeforeBytes, change.AfterBytes, change.GcHeapHardLimitBytes));
        Assert.Equal(384 * MiB, run.Judged[2].GcHeapHardLimitBytes);
    }

    [Fact]
    public void A_refused_lowering_collects_retries_with_a_backoff_and_is_reported_when_the_GC_keeps_refusing()
    {
        var seconds = Enumerable.Range(1, 40).Select(s => ((long)s, s == 1 ? 1024L : 512L, 0L)).ToArray();
        using var run = new Run(Ladder, follow: true, seconds);
        run.Gc.CommittedBytes = 500 * MiB;
        var refreshesAt = new List<long>();
        run.Manager.Dispatched.Subscribe(s => refreshesAt.Add(run.Gc.Calls.Count(c => c == "refresh")));

        run.Scheduler.Start();

        var change = Assert.Single(run.Changes);
        Assert.Equal(MemoryLimitResponse.GcLimitRefused, change.Response);
        Assert.Equal(768 * MiB, change.GcHeapHardLimitBytes);

        // The first sample's refresh at 1 s; then two tries at 2 s (the second after a full collection), then one at 3, 5, 9, 17 and 33 s, each after a collection.
        Assert.Equal("refresh," + string.Join(",", Enumerable.Repeat("refresh,collect,refresh", 6)), string.Join(",", run.Gc.Calls));
        Assert.Equal(13, run.Gc.Calls.Count(c => c == "refresh"));
        Assert.Equal([1L, 3, 5, 5, 7, 7, 7, 7, 9], refreshesAt.Take(9));
        Assert.Equal(11, refreshesAt[16]);
        Assert.Equal(13, refreshesAt[32]);
        var error = Assert.IsType<InvalidOperationException>(Assert.Single(run.Errors));
        Assert.Contains("refused to follow the memory limit of 536870912 bytes 6 times", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void A_refusal_that_a_retry_overcomes_is_published_as_the_GC_cap_moving()
    {
        using var run = new Run(Ladder, follow: true, (1, 1024, 0), (2, 512, 0), (3, 512, 0), (4, 512, 0));
        run.Gc.CommittedBytes = 500 * MiB;
        run.Scheduler.ScheduleAbsolute((2 * Second) + 1, () => run.Gc.CommittedBytes = 0);

        run.Scheduler.Start();

        Assert.Equal(2, run.Changes.Count);
        Assert.Equal(MemoryLimitResponse.GcLimitRefused, run.Changes[0].Response);
        Assert.Equal((MemoryLimitSource.GcHeapHardLimit, 768 * MiB, 384 * MiB, MemoryLimitResponse.GcLimitRefreshed), (run.Changes[1].Limit, run.Changes[1].BeforeBytes, run.Changes[1].AfterBytes, run.Changes[1].Response));
        Assert.Equal(3 * Second, run.Changes[1].Sample.Timestamp.Ticks);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public void With_FollowLimitChanges_off_a_change_is_published_and_the_GC_left_alone()
    {
        using var run = new Run(Ladder, follow: false, (1, 256, 0), (2, 1024, 0), (3, 512, 0));

        run.Scheduler.Start();

        Assert.Equal([MemoryLimitResponse.NotFollowed, MemoryLimitResponse.NotFollowed], run.Changes.Select(c => c.Response));
        Assert.Empty(run.Gc.Calls);
        Assert.Equal(192 * MiB, run.Judged[2].GcHeapHardLimitBytes);
    }

    [Fact]
    public void A_moved_memory_high_is_published_and_needs_nothing_of_the_GC()
    {
        using var run = new Run(Ladder, follow: true, (1, 1024, 0), (2, 1024, 768), (3, 1024, 768), (4, 1024, 0));

        run.Scheduler.Start();

        Assert.Equal(
            [(MemoryLimitSource.CgroupHigh, 0L, 768 * MiB, MemoryLimitResponse.None), (MemoryLimitSource.CgroupHigh, 768 * MiB, 0L, MemoryLimitResponse.None)],
            run.Changes.Select(c => (c.Limit, c.BeforeBytes, c.AfterBytes, c.Response)));
        Assert.Equal(["refresh"], run.Gc.Calls);
    }

    [Fact]
    public void The_first_sample_refreshes_the_GC_once_and_samples_whose_limits_stay_publish_nothing()
    {
        using var run = new Run(Ladder, follow: true, (1, 256, 0), (2, 256, 0), (3, 256, 0));

        run.Scheduler.Start();

        Assert.Empty(run.Changes);
        Assert.Equal(["refresh"], run.Gc.Calls);
    }

    [Fact]
    public void A_limit_raised_before_the_manager_started_is_followed_at_the_first_sample_and_published()
    {
        using var run = new Run(Ladder, follow: true, (1, 1024, 0), (2, 1024, 0));

        // The process started under 256 MiB: the GC's cap is 75% of that until it reads the limit again.
        run.Gc.Cap = 192 * MiB;
        run.Scheduler.Start();

        var change = Assert.Single(run.Changes);
        Assert.Equal((MemoryLimitSource.GcHeapHardLimit, 192 * MiB, 768 * MiB, MemoryLimitResponse.GcLimitRefreshed, 768 * MiB), (change.Limit, change.BeforeBytes, change.AfterBytes, change.Response, change.GcHeapHardLimitBytes));
        Assert.Equal(1 * Second, change.Sample.Timestamp.Ticks);
        Assert.Equal(768 * MiB, run.Judged[0].GcHeapHardLimitBytes);
        Assert.Equal(["refresh"], run.Gc.Calls);
    }

    [Fact]
    public void A_limit_lowered_before_the_manager_started_below_what_the_GC_committed_is_retried_and_published_once_followed()
    {
        using var run = new Run(Ladder, follow: true, (1, 512, 0), (2, 512, 0), (3, 512, 0));

        // The process started under 1 GiB and committed 500 MiB; it frees them before the retry at 2 s.
        run.Gc.Cap = 768 * MiB;
        run.Gc.CommittedBytes = 500 * MiB;
        run.Scheduler.ScheduleAbsolute((1 * Second) + 1, () => run.Gc.CommittedBytes = 0);
        run.Scheduler.Start();

        var change = Assert.Single(run.Changes);
        Assert.Equal((MemoryLimitSource.GcHeapHardLimit, 768 * MiB, 384 * MiB, MemoryLimitResponse.GcLimitRefreshed), (change.Limit, change.BeforeBytes, change.AfterBytes, change.Response));
        Assert.Equal(2 * Second, change.Sample.Timestamp.Ticks);
        Assert.Equal(["refresh", "collect", "refresh", "refresh"], run.Gc.Calls);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public void Without_a_cgroup_limit_or_with_FollowLimitChanges_off_the_first_sample_leaves_the_GC_alone()
    {
        using var unlimited = new Run(Ladder, follow: true, (1, 0, 0), (2, 0, 0));
        using var off = new Run(Ladder, follow: false, (1, 1024, 0), (2, 1024, 0));

        unlimited.Scheduler.Start();
        off.Scheduler.Start();

        Assert.Empty(unlimited.Gc.Calls);
        Assert.Empty(off.Gc.Calls);
    }
}
