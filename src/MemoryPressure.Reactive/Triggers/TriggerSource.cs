namespace MemoryPressure.Reactive;

/// <summary>The sources of push triggers: signals that make a <see cref="MemoryPressureManager"/> take a sample at once.</summary>
public enum TriggerSource
{
    /// <summary>A full (generation 2) garbage collection has ended, blocking or background.</summary>
    Gen2Collection = 0,

    /// <summary>A Linux PSI trigger on <c>memory.pressure</c>: tasks stalled on memory for a share of a time window.</summary>
    PressureStall = 1,

    /// <summary>A cgroup v1 usage-threshold notification: <c>memory.usage_in_bytes</c> crossed a threshold derived from the ladder.</summary>
    UsageThreshold = 2,

    /// <summary>A cgroup v1 <c>memory.pressure_level</c> notification: the kernel's reclaim reports medium or critical pressure.</summary>
    PressureLevel = 3,

    /// <summary>An item of <see cref="MemoryPressureTriggers.Custom"/>, a stream of the application's own.</summary>
    Custom = 4,

    /// <summary>A garbage collection of any generation has ended: the managed heap has just been measured by the GC.</summary>
    Collection = 5,

    /// <summary>
    /// A cgroup v2 <c>memory.events</c> change: the process's cgroup or a limited ancestor went over its
    /// <c>memory.high</c>, reached its <c>memory.max</c>, or ran the OOM killer.
    /// </summary>
    MemoryEvents = 6,

    /// <summary>
    /// A memory limit of the process's cgroup or of an ancestor was written (v1 <c>memory.limit_in_bytes</c>,
    /// v2 <c>memory.max</c> or <c>memory.high</c>): the sample shows the new limit at once.
    /// </summary>
    LimitWrites = 7,
}
