namespace MemoryPressure.Reactive;

/// <summary>A limit that changed while the process ran, and what the manager did about it.</summary>
/// <param name="Limit">
/// Which limit changed: <see cref="MemoryLimitSource.Cgroup"/> (<see cref="MemorySample.CgroupLimitBytes"/>),
/// <see cref="MemoryLimitSource.CgroupHigh"/> (<see cref="MemorySample.CgroupHighBytes"/>) or
/// <see cref="MemoryLimitSource.GcHeapHardLimit"/> (<see cref="MemorySample.GcHeapHardLimitBytes"/>).
/// </param>
/// <param name="BeforeBytes">The limit before, in bytes; 0 for none.</param>
/// <param name="AfterBytes">The limit after, in bytes; 0 for none.</param>
/// <param name="Response">What the manager did about it.</param>
/// <param name="Sample">The first sample that showed the new limit.</param>
/// <remarks>See <see cref="MemoryPressureManager.LimitChanges"/>.</remarks>
public readonly record struct MemoryLimitChange(MemoryLimitSource Limit, long BeforeBytes, long AfterBytes, MemoryLimitResponse Response, MemorySample Sample)
{
    /// <summary>Gets whether the limit went up, leaving more room: a limit set where there was none is a lowering, one removed a raise.</summary>
    public bool IsRaise => AfterBytes == 0 || (BeforeBytes != 0 && AfterBytes > BeforeBytes);

    /// <summary>Gets the GC's heap hard limit once the manager was done, in bytes; 0 when the GC has none.</summary>
    public long GcHeapHardLimitBytes { get; init; }
}
