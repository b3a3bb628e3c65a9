using System.Globalization;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Probes;

namespace MemoryPressure.Reactive.Limits;

/// <summary>
/// Notices the limits of a sample that differ from the sample before, and follows them: tells the GC
/// on a raise before the sample is judged, on a lowering after, and retries a refusal with a backoff
/// (<see cref="MemoryPressureOptions.FollowLimitChanges"/>).
/// </summary>
/// <remarks>Not thread-safe: the manager calls it under its gate, once per sample. A sample whose limits did not move costs three comparisons.</remarks>
/// <param name="follow">Whether to tell the GC (<see cref="MemoryPressureOptions.FollowLimitChanges"/>); changes are published either way.</param>
/// <param name="followAtStart">Whether the first sample has the GC read its limit again: only where the samples describe the GC followed (the manager reads its own probe, or a test gives a stand-in GC).</param>
/// <param name="checkInterval">The unit of the retries' backoff.</param>
/// <param name="gc">The GC followed.</param>
/// <param name="report">Where a refusal that outlasted the retries goes.</param>
internal sealed class LimitFollower(bool follow, bool followAtStart, TimeSpan checkInterval, IGcHeapLimit gc, Action<Exception> report)
{
    /// <summary>The retries of a refused refresh after the first, 1, 2, 4, 8 and 16 check intervals apart.</summary>
    public const int Retries = 5;

    private readonly MemoryLimitChange[] _changes = new MemoryLimitChange[3];
    private bool _seen;
    private long _cgroup;
    private long _high;
    private long _gc;
    private int _count;
    private bool _lowered;
    private int _refusals;
    private DateTimeOffset _retryAt;
    private InvalidOperationException? _refusal;

    /// <summary>Gets the changes the last sample showed, once <see cref="AfterJudging"/> has followed them.</summary>
    public ReadOnlySpan<MemoryLimitChange> Changes => _changes.AsSpan(0, _count);

    /// <summary>
    /// Compares a sample's limits with the last sample's. On a raised cgroup limit, tells the GC at once
    /// and gives the sample the GC's new cap, so that it is judged with the room the heap now has.
    /// </summary>
    /// <returns>Whether <see cref="AfterJudging"/> has work: a limit changed, or a refused refresh is due again.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool BeforeJudging(ref MemorySample sample)
    {
        _count = 0;
        if (sample.CgroupLimitBytes == _cgroup && sample.CgroupHighBytes == _high && sample.GcHeapHardLimitBytes == _gc && _seen)
        {
            return _refusals > 0 && sample.Timestamp >= _retryAt;
        }

        if (!_seen)
        {
            _seen = true;
            (_cgroup, _high, _gc) = (sample.CgroupLimitBytes, sample.CgroupHighBytes, sample.GcHeapHardLimitBytes);
            return follow && followAtStart && sample.CgroupLimitBytes > 0 && FollowedSinceStart(ref sample);
        }

        var cgroupMoved = sample.CgroupLimitBytes != _cgroup;
        _lowered = cgroupMoved && !IsRaise(_cgroup, sample.CgroupLimitBytes);
        if (sample.GcHeapHardLimitBytes != _gc)
        {
            Add(new(MemoryLimitSource.GcHeapHardLimit, _gc, sample.GcHeapHardLimitBytes, MemoryLimitResponse.None, sample) { GcHeapHardLimitBytes = sample.GcHeapHardLimitBytes });
        }

        if (sample.CgroupHighBytes != _high)
        {
            Add(new(MemoryLimitSource.CgroupHigh, _high, sample.CgroupHighBytes, MemoryLimitResponse.None, sample) { GcHeapHardLimitBytes = sample.GcHeapHardLimitBytes });
        }

        if (cgroupMoved)
        {
            var response = MemoryLimitResponse.NotFollowed;
            var cap = sample.GcHeapHardLimitBytes;
            if (follow && !_lowered)
            {
                response = Refresh(sample, ref cap);
                sample = sample with { GcHeapHardLimitBytes = cap };
            }

            Add(new(MemoryLimitSource.Cgroup, _cgroup, sample.CgroupLimitBytes, response, sample) { GcHeapHardLimitBytes = cap });
        }

        (_cgroup, _high, _gc) = (sample.CgroupLimitBytes, sample.CgroupHighBytes, sample.GcHeapHardLimitBytes);
        return true;
    }

    /// <summary>
    /// At the first sample, has the GC read its limit again: it read it when the process started, and a
    /// limit moved since then (before the manager started) would otherwise never be followed. A cap that
    /// moved is published as a change of the GC's limit, and the sample is judged with it.
    /// </summary>
    /// <returns>Whether the cap moved.</returns>
    private bool FollowedSinceStart(ref MemorySample sample)
    {
        var before = sample.GcHeapHardLimitBytes;
        var cap = before;
        if (Refresh(sample, ref cap) != MemoryLimitResponse.GcLimitRefreshed || cap == before)
        {
            return false;
        }

        sample = sample with { GcHeapHardLimitBytes = cap };
        Add(new(MemoryLimitSource.GcHeapHardLimit, before, cap, MemoryLimitResponse.GcLimitRefreshed, sample) { GcHeapHardLimitBytes = cap });
        return true;
    }

    /// <summary>Tells the GC of a lowered limit once the sample has been judged against it, or tries a refused refresh again.</summary>
    public void AfterJudging(MemorySample sample)
    {
        if (_lowered && follow)
        {
            _lowered = false;
            var cap = sample.GcHeapHardLimitBytes;
            var response = Refresh(sample, ref cap);
            ref var change = ref _changes[_count - 1];
            change = change with { Response = response, GcHeapHardLimitBytes = cap };
            return;
        }

        if (_refusals > 0 && sample.Timestamp >= _retryAt)
        {
            var before = _gc;
            var cap = before;
            if (Refresh(sample, ref cap) == MemoryLimitResponse.GcLimitRefreshed && cap != before)
            {
                Add(new(MemoryLimitSource.GcHeapHardLimit, before, cap, MemoryLimitResponse.GcLimitRefreshed, sample) { GcHeapHardLimitBytes = cap });
            }
        }
    }

    /// <summary>Whether a limit going from <paramref name="before"/> to <paramref name="after"/> leaves more room (0 is none).</summary>
    private static bool IsRaise(long before, long after) => after == 0 || (before != 0 && after > before);

    /// <summary>
    /// Has the GC refresh its limit, after a full collection if it refuses; a second refusal is retried at
    /// later samples, and reported once the retries are spent.
    /// </summary>
    /// <param name="sample">The sample being followed.</param>
    /// <param name="cap">The GC's cap: in, the sample's; out, the new one where the refresh moved it.</param>
    private MemoryLimitResponse Refresh(in MemorySample sample, ref long cap)
    {
        var before = gc.Read(sample.CgroupLimitBytes);
        if (!TryRefresh())
        {
            gc.Collect();
            if (!TryRefresh())
            {
                Refused(sample);
                return MemoryLimitResponse.GcLimitRefused;
            }
        }

        _refusals = 0;
        _refusal = null;
        var after = gc.Read(sample.CgroupLimitBytes);
        if (after != before)
        {
            // A sample from another source than the runtime's keeps its own figures.
            (cap, _gc) = (after, after);
        }

        return MemoryLimitResponse.GcLimitRefreshed;
    }

    private bool TryRefresh()
    {
        try
        {
            gc.Refresh();
            return true;
        }
        catch (InvalidOperationException e)
        {
            _refusal = e;
            return false;
        }
    }

    /// <summary>Schedules the next try, 1, 2, 4, 8, 16 check intervals on, or reports that the GC kept refusing.</summary>
    private void Refused(in MemorySample sample)
    {
        if (_refusals == Retries)
        {
            _refusals = 0;
            report(new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"The GC refused to follow the memory limit of {sample.CgroupLimitBytes} bytes {Retries + 1} times, each after a full collection: it has committed more than its new cap would allow, and keeps its cap of {gc.Read(sample.CgroupLimitBytes)} bytes. Free memory, then call GC.RefreshMemoryLimit()."),
                _refusal));
            return;
        }

        _retryAt = sample.Timestamp + (checkInterval * (1 << _refusals));
        _refusals++;
    }

    private void Add(MemoryLimitChange change) => _changes[_count++] = change;
}
