using System.Runtime;

namespace MemoryPressure.Reactive;

/// <summary>The strongest collection the runtime offers, for the top of a ladder.</summary>
public static class ForcedGc
{
    /// <summary>
    /// Collects every generation, blocking and compacting, in aggressive mode (which also returns
    /// free memory to the operating system), with the large object heap compacted once.
    /// </summary>
    /// <remarks>
    /// This pauses every managed thread for as long as the collection takes, which grows with the
    /// live heap; keep it for the level where the alternative is being killed.
    /// <see cref="MemoryPressureManager.InstallForceGcCollect(int)"/> runs it on entering a level.
    /// </remarks>
    public static void Collect()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
