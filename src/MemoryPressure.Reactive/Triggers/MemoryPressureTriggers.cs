using System.Reactive;
using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive;

/// <summary>
/// The push triggers of a <see cref="MemoryPressureManager"/>: signals from the runtime and the
/// kernel that make it take a sample at once rather than at its next poll.
/// </summary>
/// <remarks>
/// <para>
/// Every source is on by default and used where the machine provides it; a source that is not
/// available is skipped, and <see cref="MemoryPressureManager.Triggers"/> says which sources run and
/// why the others do not. All of them feed one stream of "sample now" requests, coalesced so that a
/// storm takes at most one extra sample per <see cref="MinimumGap"/>. The extra samples are taken on
/// the manager's scheduler, read from its probe and judged like any other: the ladder and handlers
/// see ordinary samples, in order.
/// </para>
/// <para>
/// Triggers apply when the manager polls a probe. With <see cref="MemoryPressureOptions.Samples"/>
/// there is no probe to read, and every source is off. With a virtual-time scheduler (such as
/// <c>TestScheduler</c>) the runtime and kernel sources are off, since their signals arrive on other
/// threads in real time; <see cref="Custom"/> still applies.
/// </para>
/// <para>
/// The kernel sources watch the cgroup the process is in when the manager starts; unlike the
/// <see cref="LinuxMemoryProbe"/>, they do not follow the process to another cgroup.
/// </para>
/// <para>Mutable so that configuration binding can fill it; each setter checks its value.</para>
/// </remarks>
public sealed class MemoryPressureTriggers
{
    private string _pressureStallTrigger = "some 150000 1000000";
    private CgroupPressureLevel _minimumPressureLevel = CgroupPressureLevel.Medium;
    private TimeSpan _minimumGap = TimeSpan.FromMilliseconds(2);

    /// <summary>Gets a new set of triggers with every source off: the manager only polls.</summary>
    public static MemoryPressureTriggers None => new()
    {
        Gen2Collections = false,
        Collections = false,
        PressureStall = false,
        UsageThresholds = false,
        PressureLevel = false,
        MemoryEvents = false,
        LimitWrites = false,
    };

    /// <summary>
    /// Gets or sets whether the manager samples after each full (generation 2) garbage collection,
    /// blocking or background: the moment the managed heap's true size is known.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// A finalizable object that re-registers itself for finalization, as the runtime's own
    /// <c>Gen2GcCallback</c> does, notices each collection that reaches it and checks that
    /// <see cref="GC.CollectionCount(int)"/> of generation 2 moved. The sample is taken on the
    /// manager's scheduler, never on the finalizer thread.
    /// </remarks>
    public bool Gen2Collections { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the manager samples after every garbage collection, of any generation:
    /// while a managed heap grows fast towards the GC's cap, collections come often, and each is a
    /// sample the heap conditions (<see cref="HeapRelativeValue"/>, <see cref="HeapAbsoluteValue"/>) can
    /// act on, where no kernel signal watches the heap.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// A finalizable object in generation 0 is finalized after each collection and makes its successor.
    /// Nothing runs while nothing is collected; an application that collects often gets at most one
    /// extra sample per <see cref="MinimumGap"/>.
    /// </remarks>
    public bool Collections { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the manager samples when a Linux PSI trigger fires: tasks of the
    /// process's cgroup (v2 <c>memory.pressure</c>, else the whole machine's
    /// <c>/proc/pressure/memory</c>) stalled on memory for <see cref="PressureStallTrigger"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PressureStall { get; set; } = true;

    /// <summary>
    /// Gets or sets the PSI trigger: "some" (at least one task stalled) or "full" (all did), the stall
    /// time and the window, both in microseconds.
    /// </summary>
    /// <value>The default value is <c>"some 150000 1000000"</c>: 150 ms of stall within 1 s.</value>
    /// <remarks>
    /// A process without <c>CAP_SYS_RESOURCE</c> may only use windows that are a multiple of 2 s;
    /// when the kernel refuses the window, the same stall time in the window rounded up to the next
    /// multiple of 2 s is tried (<c>"some 150000 2000000"</c> for the default), which fires at least as
    /// readily. The trailing NUL the kernel wants is added when writing.
    /// </remarks>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The value set is not "some" or "full" followed by a stall time of 1 µs or more and a window
    /// from 500000 to 10000000 µs no shorter than the stall time.
    /// </exception>
    public string PressureStallTrigger
    {
        get => _pressureStallTrigger;
        set
        {
            ArgumentNullException.ThrowIfNull(value, nameof(PressureStallTrigger));
            _pressureStallTrigger = PsiTrigger.TryParse(value, out var trigger)
                ? trigger.ToString()
                : throw new ArgumentException(
                    $"'{value}' is not a PSI trigger: expected \"some\" or \"full\", a stall time of 1 µs or more, and a window from 500000 to 10000000 µs no shorter than the stall time, as in \"some 150000 1000000\".",
                    nameof(PressureStallTrigger));
        }
    }

    /// <summary>
    /// Gets or sets whether the manager samples when the usage of the process's cgroup v1 memory
    /// controller (<c>memory.usage_in_bytes</c>) crosses a threshold at which a ladder level's
    /// condition may change, notified by the kernel through <c>cgroup.event_control</c>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// <para>
    /// Thresholds are placed where a <see cref="LocalAbsoluteValue"/> or <see cref="LocalRelativeValue"/>
    /// anywhere in a level's condition or exit condition (inside <see cref="All"/>, <see cref="Any"/>
    /// and <see cref="Not"/> as well) flips, for the sample's <see cref="MemorySample.ProcessLimitBytes"/>:
    /// <c>limit - bytes</c> and <c>limit * (1 - percent / 100)</c>. Such a composition can only change
    /// its truth where one of its parts does, and the kernel notifies a crossing in either direction,
    /// so entries and exits driven by these parts are caught, to within the tolerance before armed
    /// thresholds are moved (1/256 of the limit, between 256 KiB and 16 MiB); a crossing inside that
    /// band is seen at the next poll. The conditions compare the resident set,
    /// the kernel counts the whole cgroup (page cache included), so each threshold is moved by the
    /// difference of <see cref="MemorySample.CgroupUsageBytes"/> and
    /// <see cref="MemorySample.ProcessResidentBytes"/> at the last sample, and moved again when that
    /// difference or the limit changes.
    /// </para>
    /// <para>
    /// <see cref="GlobalAbsoluteValue"/>, <see cref="GlobalRelativeValue"/> (the machine's memory) and
    /// custom conditions give no threshold: levels that depend on them are caught by polling and by the
    /// other sources. Needs the cgroup v1 memory controller and a writable <c>cgroup.event_control</c>;
    /// cgroup v2 has no such notification.
    /// </para>
    /// </remarks>
    public bool UsageThresholds { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the manager samples when the process's cgroup v1 memory controller reports
    /// reclaim pressure (<c>memory.pressure_level</c>) at <see cref="MinimumPressureLevel"/> or above.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// The kernel reports pressure for every reclaim window, hundreds of times a second under load:
    /// the watcher listens to it at most once per <see cref="MinimumGap"/>. Needs the cgroup v1 memory
    /// controller and a writable <c>cgroup.event_control</c>.
    /// </remarks>
    public bool PressureLevel { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the manager samples when a cgroup v2 memory controller counts an event of
    /// pressure in <c>memory.events</c>: the process's cgroup, or an ancestor, went over its
    /// <c>memory.high</c> (<c>high</c>), reached its <c>memory.max</c> (<c>max</c>), or ran the OOM killer
    /// (<c>oom</c>, <c>oom_kill</c>, <c>oom_group_kill</c>).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// <para>
    /// The kernel raises a "file modified" event when the file changes, at most once per 10 ms, watched
    /// with inotify. The files watched are those of the process's v2 cgroup and of each ancestor up to the
    /// root the process sees that has a <c>memory.high</c> or <c>memory.max</c> set (<c>memory.events</c>
    /// counts a cgroup's whole subtree, so a limit is heard where it is set); with no limit set anywhere,
    /// the source is unavailable, and <see cref="MemoryPressureManager.Triggers"/> says so.
    /// </para>
    /// <para>
    /// These events come when the kernel is already reclaiming at the limit: late, but certain, and the
    /// only kernel signal of a v2 limit besides PSI (cgroup v2 has no usage thresholds). What catches a
    /// ramp in time there is the adaptive sampling (<see cref="MemoryPressureOptions.SamplingFloor"/>);
    /// this source makes sure a limit reached between two samples is acted on at once.
    /// </para>
    /// </remarks>
    public bool MemoryEvents { get; set; } = true;

    /// <summary>
    /// Gets or sets whether a write to a memory limit of the process's cgroup or of an ancestor (v1
    /// <c>memory.limit_in_bytes</c>; v2 <c>memory.max</c>, <c>memory.high</c>) triggers a sample, so a limit
    /// moved while the process runs is followed at once (<see cref="MemoryPressureOptions.FollowLimitChanges"/>).
    /// </summary>
    /// <value>The default value is <see langword="true"/>; the source is unavailable outside a memory cgroup.</value>
    /// <remarks>
    /// inotify reports such a write as it reports a write to any file (measured on v1 with Linux 6.18 and on
    /// v2 with Linux 6.1). Without it a change is seen at the next poll. Nothing runs until a limit is written.
    /// </remarks>
    public bool LimitWrites { get; set; } = true;

    /// <summary>Gets or sets the lowest <c>memory.pressure_level</c> that triggers a sample.</summary>
    /// <value>The default value is <see cref="CgroupPressureLevel.Medium"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is not a defined <see cref="CgroupPressureLevel"/>.</exception>
    public CgroupPressureLevel MinimumPressureLevel
    {
        get => _minimumPressureLevel;
        set => _minimumPressureLevel = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumPressureLevel), value, "The level must be Medium or Critical.");
    }

    /// <summary>
    /// Gets or sets the least time between two extra samples: the first request after a quiet spell
    /// samples at once, requests within the gap give one more sample at its end, and any further ones
    /// are merged into that.
    /// </summary>
    /// <value>
    /// The default value is 2 milliseconds, sized from what a sample costs: a read of the probe takes
    /// about 20 µs, so a storm of signals from every source together costs at most about 1% of a core,
    /// and a first signal after a quiet spell, the one that matters, is never delayed. (At 50 ms, a gen2
    /// collection's signal delayed the usage-threshold signal that followed it past the process's death.)
    /// </value>
    /// <remarks>Measured on the manager's scheduler; one gap for the signals of every source together; the regular polls go on at their own pace.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative or over an hour.</exception>
    public TimeSpan MinimumGap
    {
        get => _minimumGap;
        set => _minimumGap = value >= TimeSpan.Zero && value <= MaximumGap
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumGap), value, "The minimum gap must be between zero and one hour.");
    }

    /// <summary>Gets the longest <see cref="MinimumGap"/>: beyond an hour, triggers would do nothing the regular polls do not.</summary>
    internal static TimeSpan MaximumGap { get; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets a stream of the application's own whose every item asks for a sample now (a
    /// host's eviction warning, the start of a large batch), coalesced with the other sources.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: none.</value>
    /// <remarks>Subscribed when the manager starts and disposed with it; its errors are reported on <see cref="MemoryPressureManager.Errors"/>.</remarks>
    public IObservable<Unit>? Custom { get; set; }

    /// <summary>
    /// Gets or sets the process whose cgroups the kernel sources watch; 0 for this process. Lets a
    /// test or a harness watch a child placed in a cgroup of its own, with a probe that reads it.
    /// </summary>
    internal int ProcessId { get; set; }
}
