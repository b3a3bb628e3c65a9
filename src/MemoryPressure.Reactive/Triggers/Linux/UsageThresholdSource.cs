using System.Globalization;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// Requests a sample when the cgroup v1 memory controller's usage crosses a threshold derived from the
/// ladder (<c>memory.usage_in_bytes</c>, notified through <c>cgroup.event_control</c>).
/// </summary>
/// <remarks>
/// <para>
/// The thresholds depend on each sample's limit and on what the cgroup counts beyond the resident
/// set (see <see cref="IUsageThresholds"/>): every sample the manager judges is passed to
/// <see cref="OnNext"/>, which compares the thresholds wanted with those armed without allocating,
/// and registers new eventfds (then closes the old, cancelling them) only when they drifted beyond a
/// tolerance that grows with the distance from the usage to them (<see cref="DriftTolerance"/>).
/// </para>
/// <para>
/// The kernel can only watch <c>memory.usage_in_bytes</c>, which counts page cache; the conditions
/// judge the resident set. Each threshold is placed where the usage will be when the resident set
/// reaches its own threshold with the cache as it is now (the offset, usage less resident). Cache that
/// grows between two samples crosses a threshold early: a false alarm costs one sample, which moves the
/// thresholds. Cache the kernel drops to make room holds the usage still while the resident set grows,
/// and a threshold placed above the cgroup's limit would never be crossed: such a threshold is put just
/// under the limit (the limit less the tolerance), where the usage stands exactly when the kernel
/// starts reclaiming, so pressure under a full cache is still signalled. While the cgroup stays full
/// the usage wobbles across it, about once per <see cref="MemoryPressureTriggers.MinimumGap"/>: a
/// sample each time, never a level, which the conditions judge on the resident set.
/// </para>
/// </remarks>
internal sealed class UsageThresholdSource : KernelTriggerSource, IObserver<MemorySample>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly IUsageThresholds _thresholds;
    private readonly CgroupEventControl _cgroup;
    private readonly long[] _wanted;
    private readonly long[] _armed;
    private readonly List<KernelEventWatcher.Watch> _watches = [];
    private int _armedCount = -1;
    private long _armedLimit;
    private DateTimeOffset _armedAt;
    private bool _disposed;

    /// <summary>The least sample time between two re-armings for a drift of the offset alone.</summary>
    internal static readonly TimeSpan ReArmInterval = TimeSpan.FromSeconds(1);

    public UsageThresholdSource(IUsageThresholds thresholds, CgroupEventControl cgroup, KernelEventWatcher watcher, ITriggerSink sink)
        : base(TriggerSource.UsageThreshold, watcher, sink)
    {
        _thresholds = thresholds;
        _cgroup = cgroup;
        _wanted = new long[thresholds.Capacity];
        _armed = new long[thresholds.Capacity];
        Status.Set(TriggerState.Active, thresholds.Describe([], cgroup.UsagePath));
    }

    /// <summary>Moves the thresholds to a judged sample's limit and offset, when they drifted.</summary>
    /// <remarks>The source observes the manager's samples itself: an Rx observer around a delegate would run unoptimised for thirty samples and be compiled again in the middle of a rest.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnNext(MemorySample sample)
    {
        lock (_gate)
        {
            if (_disposed || Status.State != TriggerState.Active)
            {
                return;
            }

            var offset = sample.CgroupUsageBytes > 0 ? sample.CgroupUsageBytes - sample.ProcessResidentBytes : 0;
            var count = _thresholds.Place(sample.ProcessLimitBytes, offset, _wanted);
            if (sample.CgroupLimitBytes > 0)
            {
                count = Ceiling(_wanted, count, sample.CgroupLimitBytes - Tolerance(sample.CgroupLimitBytes));
            }

            if (_armedCount >= 0
                && Matches(_wanted.AsSpan(0, count), _armed.AsSpan(0, _armedCount), DriftTolerance(sample.ProcessLimitBytes, sample.CgroupUsageBytes, _wanted.AsSpan(0, count))))
            {
                return;
            }

            // The offset (the cgroup's cache and kernel memory) moves all the time in a busy cgroup that is
            // full: re-arming on every drift registered thresholds near usage that its churn crossed at once,
            // a storm of signals and registrations that cost a cache-aside service its race against the GC's
            // cap (0 of 5 survived, 4 of 4 with drifts re-armed at most every ReArmInterval). A new limit
            // re-arms at once; a clock that went back does not hold re-arming off.
            if (_armedCount >= 0 && sample.ProcessLimitBytes == _armedLimit
                && sample.Timestamp >= _armedAt && sample.Timestamp - _armedAt < ReArmInterval)
            {
                return;
            }

            Arm(count);
            (_armedLimit, _armedAt) = (sample.ProcessLimitBytes, sample.Timestamp);
        }
    }

    /// <summary>The manager's samples end with it; the source is disposed beside them.</summary>
    public void OnCompleted()
    {
    }

    /// <summary>The manager's samples never fail: its own errors go to <see cref="MemoryPressureManager.Errors"/>.</summary>
    public void OnError(Exception error)
    {
    }

    public override void OnEvents(KernelEventWatcher.Watch watch, short events) => OnCgroupEvent(_cgroup, watch);

    public override void OnFailed(KernelEventWatcher.Watch watch, string reason)
    {
        lock (_gate)
        {
            RemoveFirst(_watches.Count);
        }

        Fail(reason);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    /// <summary>Registers the wanted thresholds, then cancels the old ones, so no crossing falls between.</summary>
    private void Arm(int count)
    {
        var old = _watches.Count;
        for (var i = 0; i < count; i++)
        {
            var eventFd = _cgroup.Register(_cgroup.Usage, _wanted[i].ToString(CultureInfo.InvariantCulture), out var errno);
            if (eventFd.IsInvalid)
            {
                RemoveFirst(_watches.Count);
                Fail($"{_cgroup.UsagePath} refused a threshold of {_wanted[i]} bytes: {Libc.Describe(errno)}");
                return;
            }

            _watches.Add(Watcher.Add(eventFd, Libc.PollIn, this));
        }

        RemoveFirst(old);
        _wanted.AsSpan(0, count).CopyTo(_armed);
        _armedCount = count;
        Status.Set(TriggerState.Active, _thresholds.Describe(_armed.AsSpan(0, count), _cgroup.UsagePath));
    }

    private void RemoveFirst(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Watcher.Remove(_watches[i]);
        }

        _watches.RemoveRange(0, count);
    }

    /// <summary>
    /// Tells whether armed thresholds still serve: as many as wanted, each within the tolerance, so a
    /// page-cache figure that wobbles does not re-register them at every sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Matches(ReadOnlySpan<long> wanted, ReadOnlySpan<long> armed, long tolerance)
    {
        if (wanted.Length != armed.Length)
        {
            return false;
        }

        for (var i = 0; i < wanted.Length; i++)
        {
            if (Math.Abs(wanted[i] - armed[i]) > tolerance)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Puts sorted thresholds above a ceiling at the ceiling, once: they could never be crossed.</summary>
    /// <returns>The number of thresholds left.</returns>
    public static int Ceiling(Span<long> thresholds, int count, long ceiling)
    {
        for (var i = 0; i < count; i++)
        {
            if (thresholds[i] >= ceiling)
            {
                thresholds[i] = ceiling;
                return i + 1;
            }
        }

        return count;
    }

    /// <summary>
    /// Gives how far armed thresholds may lie from those wanted: the limit's <see cref="Tolerance"/>, or
    /// 1/64 of the distance from the usage to the nearest threshold when that is more.
    /// </summary>
    /// <remarks>
    /// A threshold that lies too high by a drift signals that much growth late; one that far from the
    /// usage is judged by samples long before then, and each sample nearer gives a smaller tolerance,
    /// so the thresholds are exact again by the time a crossing is close. At rest it keeps a cache that
    /// the kernel trims or a log that grows from re-registering them every 16 MiB: measured here, a
    /// cgroup whose cache shrank 10 MiB every few seconds re-armed an idle manager's thresholds about
    /// every 15 s, each time a write to <c>cgroup.event_control</c> per threshold and a close per old one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long DriftTolerance(long limitBytes, long usageBytes, ReadOnlySpan<long> wanted)
    {
        var distance = long.MaxValue;
        foreach (var threshold in wanted)
        {
            distance = Math.Min(distance, Math.Abs(threshold - usageBytes));
        }

        return wanted.IsEmpty ? Tolerance(limitBytes) : Math.Max(Tolerance(limitBytes), distance / 64);
    }

    /// <summary>Gives the tolerance for a limit: 1/256 of it, from 256 KiB (the kernel checks usage every 128 pages a CPU charges) to 16 MiB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Tolerance(long limitBytes) => Math.Clamp(limitBytes / 256, (1L << 20) / 4, 16L << 20);
}
