namespace MemoryPressure.Reactive;

/// <summary>
/// What one level's reaction gave back: the sample that made the level act, and the first sample
/// judged after its handlers, cleanup actions, forced collection and native heap trim had run.
/// </summary>
/// <param name="Level">The level that acted, 1..N.</param>
/// <param name="Kind">Whether the level was entered or acted again while it stayed in effect.</param>
/// <param name="Before">The sample that made the level act.</param>
/// <param name="After">The first sample judged after the reaction.</param>
/// <remarks>
/// <para>
/// A level whose reaction frees nothing looks, on its own events, exactly like one that works; its
/// reactions say which it is. A sample that enters several levels gives one reaction for each, with the
/// same two samples: what they freed together. The figures are differences of two samples, so they
/// also count what the rest of the process allocated or freed between them, and they are negative
/// when memory grew.
/// </para>
/// <para>
/// Published by <see cref="MemoryPressureManager.Reactions"/> when the sample after arrives, right after
/// <see cref="MemoryPressureManager.Samples"/> and before that sample's own events.
/// </para>
/// </remarks>
public readonly record struct MemoryReaction(int Level, MemoryReactionKind Kind, MemorySample Before, MemorySample After)
{
    /// <summary>Gets the resident set the reaction gave back to the kernel, in bytes (<see cref="MemorySample.ProcessResidentBytes"/>).</summary>
    public long ResidentBytesFreed => Before.ProcessResidentBytes - After.ProcessResidentBytes;

    /// <summary>Gets the bytes the reaction took off the managed heap (<see cref="MemorySample.ManagedHeapBytes"/>).</summary>
    public long ManagedHeapBytesFreed => Before.ManagedHeapBytes - After.ManagedHeapBytes;

    /// <summary>Gets the bytes the reaction took off the cgroup's working set (<see cref="MemorySample.CgroupWorkingSetBytes"/>); 0 outside a memory cgroup.</summary>
    public long CgroupWorkingSetBytesFreed => Before.CgroupWorkingSetBytes - After.CgroupWorkingSetBytes;

    /// <summary>Gets the time from the sample that made the level act to the sample after its reaction.</summary>
    public TimeSpan Elapsed => After.Timestamp - Before.Timestamp;
}
