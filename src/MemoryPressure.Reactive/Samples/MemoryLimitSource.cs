namespace MemoryPressure.Reactive;

/// <summary>Says where a sample's <see cref="MemorySample.ProcessLimitBytes"/> came from.</summary>
public enum MemoryLimitSource
{
    /// <summary>The limit is not known; <see cref="MemorySample.ProcessLimitBytes"/> is <c>0</c>.</summary>
    Unknown = 0,

    /// <summary>A value given explicitly, to the probe or as <c>MemoryPressureOptions.MaximumAvailableBytes</c>.</summary>
    Explicit,

    /// <summary>The tightest limit of the process's memory cgroup and its ancestors (<see cref="MemorySample.CgroupLimitBytes"/>).</summary>
    Cgroup,

    /// <summary>The GC heap hard limit.</summary>
    GcHeapHardLimit,

    /// <summary>The machine's physical memory.</summary>
    PhysicalMemory,

    /// <summary>
    /// The tightest v2 <c>memory.high</c> of the process's cgroup and its ancestors
    /// (<see cref="MemorySample.CgroupHighBytes"/>), below the hard limit: above it the kernel throttles
    /// the process and reclaims its memory on every allocation.
    /// </summary>
    CgroupHigh,
}
