using MemoryPressure.Reactive.Manager;
using MemoryPressure.Reactive.Probes.Linux;
using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.Triggers;
using MemoryPressure.Reactive.Triggers.Linux;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// The usage-threshold source on this process's own v1 memory cgroup: thresholds placed, kept while
/// they serve, moved when the limit or the offset moves. Serial: it counts this process's eventfds.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class UsageThresholdSourceTests : IDisposable
{
    private const long GiB = 1L << 30;
    private static readonly SeverityLadder Ladder = new(new LocalRelativeValue(25), new LocalAbsoluteValue(GiB / 8));

    private readonly CgroupEventControl? _cgroup;
    private readonly KernelEventWatcher? _watcher;
    private readonly UsageThresholdSource? _source;

    public UsageThresholdSourceTests()
    {
        var directory = OperatingSystem.IsLinux() ? CgroupLocation.Of(0).V1MemoryDirectory : null;
        _cgroup = directory is null ? null : CgroupEventControl.TryOpen(directory, out _);
        if (_cgroup is not null)
        {
            _watcher = new KernelEventWatcher(TimeSpan.FromMilliseconds(50));
            _source = new UsageThresholdSource(LadderThresholds.Derive(Ladder), _cgroup, _watcher, new IgnoringSink());
        }
    }

    private UsageThresholdSource Source
    {
        get
        {
            Skip.If(_source is null, "this process has no cgroup v1 memory controller with a writable cgroup.event_control");
            return _source!;
        }
    }

    [SkippableFact]
    public void The_first_sample_with_a_known_limit_places_the_thresholds()
    {
        var source = Source;
        Assert.StartsWith("no threshold yet", source.Status.Snapshot().Detail);

        source.OnNext(Sample(limit: GiB));

        Assert.Equal(TriggerState.Active, source.Status.State);
        Assert.EndsWith("memory.usage_in_bytes: 768 MiB, 896 MiB", source.Status.Snapshot().Detail);
    }

    [SkippableFact]
    public void A_sample_whose_thresholds_still_serve_allocates_nothing_and_registers_nothing()
    {
        var source = Source;
        source.OnNext(Sample(limit: GiB));
        var placed = KernelResources.Read();

        var before = GC.GetAllocatedBytesForCurrentThread();
        source.OnNext(Sample(limit: GiB, offset: UsageThresholdSource.Tolerance(GiB)));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Empty(KernelResources.Read().Since(placed).EventFds);
    }

    [SkippableFact]
    public void A_new_limit_or_an_offset_beyond_the_tolerance_moves_the_thresholds_and_cancels_the_old_ones()
    {
        var source = Source;
        var before = KernelResources.Read();
        source.OnNext(Sample(limit: GiB));
        Assert.Equal(2, KernelResources.Read().Since(before).EventFds.Count);

        source.OnNext(Sample(limit: 2 * GiB));
        Assert.EndsWith("memory.usage_in_bytes: 1536 MiB, 1920 MiB", source.Status.Snapshot().Detail);

        // A drift of the offset alone waits out the re-arming interval since the last arming.
        source.OnNext(Sample(limit: 2 * GiB, offset: 64L << 20) with { Timestamp = DateTimeOffset.UnixEpoch + UsageThresholdSource.ReArmInterval - TimeSpan.FromTicks(1) });
        Assert.EndsWith("memory.usage_in_bytes: 1536 MiB, 1920 MiB", source.Status.Snapshot().Detail);

        source.OnNext(Sample(limit: 2 * GiB, offset: 64L << 20) with { Timestamp = DateTimeOffset.UnixEpoch + UsageThresholdSource.ReArmInterval });
        Assert.EndsWith("memory.usage_in_bytes: 1600 MiB, 1984 MiB", source.Status.Snapshot().Detail);

        // The watcher's thread closes the old eventfds at its next turn: the two placed last remain.
        // (Counted, not named: the kernel reuses a closed eventfd's id for the next one.)
        Assert.True(
            SpinWait.SpinUntil(() => KernelResources.Read().Since(before).EventFds.Count == 2, TimeSpan.FromSeconds(5)),
            $"not two eventfds: {KernelResources.Read().Since(before)}");
    }

    [SkippableFact]
    public void A_drift_far_from_every_threshold_keeps_them_and_the_same_drift_near_one_moves_them()
    {
        var source = Source;
        source.OnNext(Sample(limit: GiB));
        var drift = 2 * UsageThresholdSource.Tolerance(GiB);
        var later = DateTimeOffset.UnixEpoch + UsageThresholdSource.ReArmInterval;

        // Usage 767 MiB below the first threshold: 1/64 of that, 12 MiB, is more than the drift.
        source.OnNext(Sample(limit: GiB, offset: drift) with { Timestamp = later });
        Assert.EndsWith("memory.usage_in_bytes: 768 MiB, 896 MiB", source.Status.Snapshot().Detail);

        // 68 MiB below it, the limit's own tolerance holds, which the drift passes.
        source.OnNext(Sample(limit: GiB, offset: drift) with { Timestamp = later, ProcessResidentBytes = 700L << 20, CgroupUsageBytes = (700L << 20) + drift });
        Assert.EndsWith("memory.usage_in_bytes: 776 MiB, 904 MiB", source.Status.Snapshot().Detail);
    }

    [Theory]
    [InlineData(0, new long[] { 32L << 20 }, 1L << 20)]
    [InlineData(640L << 20, new long[] { 100L << 20, 1L << 30 }, (384L << 20) / 64)]
    [InlineData(1L << 30, new long[] { 1L << 30 }, 1L << 20)]
    [InlineData(5L << 30, new long[] { 1L << 30 }, (4L << 30) / 64)]
    [InlineData(0, new long[0], 1L << 20)]
    public void The_drift_tolerance_is_the_limits_or_a_64th_of_the_distance_to_the_nearest_threshold(long usage, long[] wanted, long expected) =>
        Assert.Equal(expected, UsageThresholdSource.DriftTolerance(256L << 20, usage, wanted));

    [SkippableFact]
    public void Thresholds_that_page_cache_would_push_past_the_cgroup_limit_wait_just_under_it()
    {
        var source = Source;

        // 512 MiB of cache on top of the resident set: 1280 and 1408 MiB, past a limit usage never crosses.
        source.OnNext(Sample(limit: GiB, offset: GiB / 2) with { CgroupLimitBytes = GiB });

        Assert.EndsWith("memory.usage_in_bytes: 1020 MiB", source.Status.Snapshot().Detail);
    }

    [Theory]
    [InlineData(new long[] { 10, 20, 30 }, 25, new long[] { 10, 20, 25 })]
    [InlineData(new long[] { 10, 20, 30 }, 5, new long[] { 5 })]
    [InlineData(new long[] { 10, 20 }, 20, new long[] { 10, 20 })]
    [InlineData(new long[] { 10, 20 }, 99, new long[] { 10, 20 })]
    public void Ceiling_keeps_the_thresholds_under_it_and_one_at_it(long[] thresholds, long ceiling, long[] expected)
    {
        var count = UsageThresholdSource.Ceiling(thresholds, thresholds.Length, ceiling);

        Assert.Equal(expected, thresholds[..count]);
    }

    public void Dispose()
    {
        _source?.Dispose();
        _watcher?.Dispose();
        _cgroup?.Dispose();
    }

    private static MemorySample Sample(long limit, long offset = 0) => new()
    {
        Timestamp = DateTimeOffset.UnixEpoch,
        ProcessLimitBytes = limit,
        ProcessResidentBytes = 1L << 20,
        CgroupUsageBytes = (1L << 20) + offset,
    };

    private sealed class IgnoringSink : ITriggerSink
    {
        public void Request(TriggerSource source)
        {
        }

        public void Report(Exception error)
        {
        }
    }
}
