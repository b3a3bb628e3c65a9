using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes;

/// <summary>Chooses a sample's <see cref="MemorySample.ProcessLimitBytes"/> from what a probe knows.</summary>
internal static class ProcessLimit
{
    /// <summary>
    /// Takes the first known of: the explicit limit, the tighter of the cgroup's hard limit and its
    /// <c>memory.high</c> (when below physical memory, otherwise it binds nothing), the GC heap hard
    /// limit, physical memory. Each argument is 0 when unknown.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (long Bytes, MemoryLimitSource Source) Choose(long explicitLimit, long cgroupLimit, long cgroupHigh, long gcHeapHardLimit, long physical)
    {
        if (explicitLimit > 0)
        {
            return (explicitLimit, MemoryLimitSource.Explicit);
        }

        if (cgroupHigh > 0 && (cgroupLimit <= 0 || cgroupHigh < cgroupLimit) && (physical <= 0 || cgroupHigh < physical))
        {
            return (cgroupHigh, MemoryLimitSource.CgroupHigh);
        }

        if (cgroupLimit > 0 && (physical <= 0 || cgroupLimit < physical))
        {
            return (cgroupLimit, MemoryLimitSource.Cgroup);
        }

        if (gcHeapHardLimit > 0)
        {
            return (gcHeapHardLimit, MemoryLimitSource.GcHeapHardLimit);
        }

        return physical > 0 ? (physical, MemoryLimitSource.PhysicalMemory) : (0, MemoryLimitSource.Unknown);
    }
}
