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

    /// <summary>Gets the bytes the garbage collector reports in use on the managed heap.</summary>
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
    /// The probe takes the first that is known of: an explicit value, the limit of the process's
    /// memory cgroup, the GC heap hard limit, the machine's physical memory.
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
    /// Gets the limit of the process's memory cgroup, in bytes (v2 <c>memory.max</c>, v1
    /// <c>memory.limit_in_bytes</c>); <c>0</c> when there is none (<c>max</c> or the v1 "unlimited" sentinel).
    /// </summary>
    public long CgroupLimitBytes { get; init; }

    /// <summary>
    /// Gets the GC heap hard limit in bytes (set explicitly, or by default 75% of a container's
    /// limit); <c>0</c> when the GC has none.
    /// </summary>
    public long GcHeapHardLimitBytes { get; init; }
}
