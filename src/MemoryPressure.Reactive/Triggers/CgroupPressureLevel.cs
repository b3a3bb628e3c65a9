namespace MemoryPressure.Reactive;

/// <summary>
/// The lowest level of cgroup v1 <c>memory.pressure_level</c> that triggers a sample; the kernel
/// notifies a listener of a level at that level and above.
/// </summary>
/// <remarks>The kernel's third level, <c>low</c>, is left out: it fires on every bit of ordinary reclaim.</remarks>
public enum CgroupPressureLevel
{
    /// <summary>Reclaim struggles: the kernel is swapping, or dropping caches that are in use.</summary>
    Medium = 0,

    /// <summary>Reclaim is nearly failing: the cgroup is about to run out of memory.</summary>
    Critical = 1,
}
