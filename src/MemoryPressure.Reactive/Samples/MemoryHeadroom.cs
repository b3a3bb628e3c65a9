namespace MemoryPressure.Reactive;

/// <summary>The limit of a sample that has the least room left, and that room: see <see cref="MemorySample.BindingLimit"/>.</summary>
/// <param name="Limit">Which limit: <see cref="MemoryLimitSource.Cgroup"/>, <see cref="MemoryLimitSource.GcHeapHardLimit"/>,
/// <see cref="MemoryLimitSource.Explicit"/>, <see cref="MemoryLimitSource.PhysicalMemory"/>, or <see cref="MemoryLimitSource.Unknown"/> when the sample knows none.</param>
/// <param name="LimitBytes">The limit, in bytes; 0 when unknown.</param>
/// <param name="HeadroomBytes">What is left under it, in bytes; negative when over it.</param>
public readonly record struct MemoryHeadroom(MemoryLimitSource Limit, long LimitBytes, long HeadroomBytes)
{
    /// <summary>Gets the headroom as a percentage of the limit; 0 when the limit is unknown.</summary>
    public double HeadroomPercent => LimitBytes > 0 ? HeadroomBytes * 100.0 / LimitBytes : 0;
}
