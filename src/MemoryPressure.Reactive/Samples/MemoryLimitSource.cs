namespace MemoryPressure.Reactive;

/// <summary>Says where a sample's <see cref="MemorySample.ProcessLimitBytes"/> came from.</summary>
public enum MemoryLimitSource
{
    /// <summary>The limit is not known; <see cref="MemorySample.ProcessLimitBytes"/> is <c>0</c>.</summary>
    Unknown = 0,

    /// <summary>A value given explicitly, to the probe or as <c>MemoryPressureOptions.MaximumAvailableBytes</c>.</summary>
    Explicit,

    /// <summary>The limit of the process's memory cgroup (v2 <c>memory.max</c> or v1 <c>memory.limit_in_bytes</c>).</summary>
    Cgroup,

    /// <summary>The GC heap hard limit.</summary>
    GcHeapHardLimit,

    /// <summary>The machine's physical memory.</summary>
    PhysicalMemory,
}
