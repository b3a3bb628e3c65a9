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
}
