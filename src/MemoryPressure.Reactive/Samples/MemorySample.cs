namespace MemoryPressure.Reactive;

/// <summary>
/// One reading of the process's and the system's memory, taken by an <see cref="IMemoryProbe"/>.
/// </summary>
/// <remarks>
/// <para>
/// All byte figures are non-negative; <c>0</c> in a limit field means "unknown" or "no limit".
/// <see cref="Timestamp"/> is the clock for all time-based behaviour (dwell times, throttling):
/// <see cref="MemorySamples.Poll(TimeSpan, IMemoryProbe?, System.Reactive.Concurrency.IScheduler?)"/>
/// stamps it with the scheduler's <see cref="System.Reactive.Concurrency.IScheduler.Now"/>, so
/// virtual time drives everything in tests.
/// </para>
/// <para>The type is a value type: taking and passing a sample allocates nothing.</para>
/// </remarks>
public readonly record struct MemorySample
{
    /// <summary>Gets when the sample was taken.</summary>
    /// <value>The default value is <see cref="DateTimeOffset.MinValue"/>, left for the sampler to stamp.</value>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the resident set (working set) of this process, in bytes.</summary>
    public long ProcessResidentBytes { get; init; }

    /// <summary>
    /// Gets the bytes in use on the managed heap (<see cref="GC.GetTotalMemory(bool)"/>: live objects
    /// and the garbage not yet collected), the figure <see cref="HeapRelativeValue"/> and
    /// <see cref="HeapAbsoluteValue"/> compare with <see cref="GcHeapHardLimitBytes"/>.
    /// </summary>
    /// <remarks>
    /// Measured in a 256 MiB cgroup (a 192 MiB cap) as managed ramps hit the cap: at the
    /// <see cref="OutOfMemoryException"/> this figure read 90 to 93% of the cap (live data 80 to 83%,
    /// committed bytes 98 to 99%), and it crossed 80% of the cap 150 to 460 ms before, with 15 to 18% of
    /// the cap still to grow. It saw-tooths with each gen0 collection. Committed bytes predict the
    /// exception a little better but only move at collections, cannot be read without allocating, and
    /// stay near the cap once the heap has been emptied (166 MiB committed with 39 MiB in use), so a
    /// level entered on them would never be left. Leave 20% of the cap, not 10%.
    /// </remarks>
    public long ManagedHeapBytes { get; init; }

    /// <summary>Gets the physical memory of the machine, in bytes.</summary>
    public long SystemTotalBytes { get; init; }

    /// <summary>
    /// Gets the memory available to new work without swapping, in bytes (Linux: <c>MemAvailable</c>
    /// in <c>/proc/meminfo</c>, which counts reclaimable page cache).
    /// </summary>
    public long SystemAvailableBytes { get; init; }

    /// <summary>
    /// Gets the most this process may use, in bytes; <c>0</c> when unknown.
    /// </summary>
    /// <remarks>
    /// The probe takes the first that is known of: an explicit value, the tighter of the process's
    /// memory cgroup limit and its <see cref="CgroupHighBytes"/>, the GC heap hard limit, the machine's
    /// physical memory.
    /// <see cref="ProcessLimitSource"/> says which one it took.
    /// </remarks>
    public long ProcessLimitBytes { get; init; }

    /// <summary>Gets where <see cref="ProcessLimitBytes"/> came from.</summary>
    public MemoryLimitSource ProcessLimitSource { get; init; }

    /// <summary>
    /// Gets the memory charged to the process's memory cgroup, in bytes (v2 <c>memory.current</c>,
    /// v1 <c>memory.usage_in_bytes</c>; both include page cache); <c>0</c> when not in a memory cgroup.
    /// </summary>
    public long CgroupUsageBytes { get; init; }

    /// <summary>
    /// Gets <see cref="CgroupUsageBytes"/> less the inactive file cache (v2 <c>inactive_file</c>, v1
    /// <c>total_inactive_file</c> of <c>memory.stat</c>), in bytes: the working set, as the kubelet,
    /// the GC and ResourceMonitoring count it; <c>0</c> when not in a memory cgroup.
    /// </summary>
    /// <remarks>
    /// The inactive file cache is what the kernel reclaims first, before it kills anything: a process
    /// that reads a large file inside its limit sees its cgroup usage climb to the limit with no danger
    /// at all, while its working set stays put. When <c>memory.stat</c> cannot be read it equals the usage.
    /// </remarks>
    public long CgroupWorkingSetBytes { get; init; }

    /// <summary>
    /// Gets the tightest limit of the process's memory cgroup and its ancestors, in bytes (v2 the least
    /// <c>memory.max</c> up to the root the process sees, v1 <c>memory.limit_in_bytes</c> and the
    /// <c>hierarchical_memory_limit</c> of <c>memory.stat</c>); <c>0</c> when there is none (<c>max</c>
    /// or the v1 "unlimited" sentinel all the way up).
    /// </summary>
    /// <remarks>
    /// A limit on an ancestor binds the process as surely as its own (a systemd slice, a pod around its
    /// containers, a nested container): the kernel charges every page to each cgroup up the tree.
    /// </remarks>
    public long CgroupLimitBytes { get; init; }

    /// <summary>
    /// Gets the tightest v2 <c>memory.high</c> of the process's memory cgroup and its ancestors, in
    /// bytes: above it the kernel throttles the process and reclaims its memory on every allocation;
    /// <c>0</c> when there is none (<c>max</c> all the way up), or on cgroup v1, which has no such limit.
    /// </summary>
    /// <remarks>
    /// Kubernetes' memory QoS and systemd's <c>MemoryHigh=</c> set it below the hard limit. A process
    /// held above it is not killed but slows to a crawl, so where it is tighter than
    /// <see cref="CgroupLimitBytes"/> it is the limit that matters: <see cref="ProcessLimitBytes"/> takes it,
    /// with <see cref="MemoryLimitSource.CgroupHigh"/>.
    /// </remarks>
    public long CgroupHighBytes { get; init; }

    /// <summary>
    /// Gets the GC heap hard limit in bytes (set explicitly, or by default 75% of a container's
    /// limit); <c>0</c> when the GC has none.
    /// </summary>
    public long GcHeapHardLimitBytes { get; init; }

    /// <summary>
    /// Gets the limit with the least headroom in bytes, the one the process would reach first if all it
    /// uses grew alike: the cgroup's (<see cref="CgroupLimitBytes"/> and <see cref="CgroupHighBytes"/>
    /// less the working set, or less the resident set when no working set is known), the GC's (<see cref="GcHeapHardLimitBytes"/> less
    /// <see cref="ManagedHeapBytes"/>) and an explicit budget (<see cref="ProcessLimitBytes"/> less the
    /// resident set); physical memory (<see cref="SystemAvailableBytes"/> left) when there is none of those.
    /// </summary>
    /// <remarks>
    /// In a container the GC's cap (75% of the limit by default) usually binds before the cgroup's
    /// limit: a managed ramp dies with <see cref="OutOfMemoryException"/> while the cgroup still has a
    /// quarter of its room, so a ladder should watch the heap's headroom too
    /// (<see cref="HeapRelativeValue"/>). Computed on each call; allocates nothing.
    /// </remarks>
    public MemoryHeadroom BindingLimit
    {
        get
        {
            var binding = new MemoryHeadroom(MemoryLimitSource.Unknown, 0, long.MaxValue);
            if (ProcessLimitSource == MemoryLimitSource.Explicit && ProcessLimitBytes > 0)
            {
                binding = Tighter(binding, MemoryLimitSource.Explicit, ProcessLimitBytes, ProcessResidentBytes);
            }

            var cgroupUsed = CgroupWorkingSetBytes > 0 ? CgroupWorkingSetBytes : ProcessResidentBytes;
            if (CgroupLimitBytes > 0)
            {
                binding = Tighter(binding, MemoryLimitSource.Cgroup, CgroupLimitBytes, cgroupUsed);
            }

            if (CgroupHighBytes > 0)
            {
                binding = Tighter(binding, MemoryLimitSource.CgroupHigh, CgroupHighBytes, cgroupUsed);
            }

            if (GcHeapHardLimitBytes > 0)
            {
                binding = Tighter(binding, MemoryLimitSource.GcHeapHardLimit, GcHeapHardLimitBytes, ManagedHeapBytes);
            }

            return binding.Limit != MemoryLimitSource.Unknown ? binding
                : SystemTotalBytes > 0 ? new MemoryHeadroom(MemoryLimitSource.PhysicalMemory, SystemTotalBytes, SystemAvailableBytes)
                : new MemoryHeadroom(MemoryLimitSource.Unknown, 0, 0);
        }
    }

    private static MemoryHeadroom Tighter(MemoryHeadroom binding, MemoryLimitSource limit, long limitBytes, long usedBytes)
    {
        var headroom = limitBytes - Math.Max(usedBytes, 0);
        return headroom < binding.HeadroomBytes ? new MemoryHeadroom(limit, limitBytes, headroom) : binding;
    }
}
