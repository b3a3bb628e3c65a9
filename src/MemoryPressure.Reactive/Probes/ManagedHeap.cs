namespace MemoryPressure.Reactive.Probes;

/// <summary>
/// The managed heap figure that the GC's hard limit runs out on, read without allocating: the larger
/// of the bytes in use now (<see cref="GC.GetTotalMemory(bool)"/>) and the bytes committed at the last
/// collection (<see cref="GCMemoryInfo.TotalCommittedBytes"/>).
/// </summary>
/// <remarks>
/// <para>
/// Under a hard limit the GC throws <see cref="OutOfMemoryException"/> when it cannot commit more:
/// measured in a 256 MiB cgroup (a 192 MiB cap), committed bytes stood at 98 to 99% of the cap at the
/// exception while the bytes in use were at 90 to 93% (and live data at 80 to 83%). The bytes in use
/// alone saw-tooth with every gen0 collection and, with large arrays, were still under 90% at the
/// instant of the exception; committed bytes only move at collections, and the runtime has no way to
/// read them that does not allocate.
/// </para>
/// <para>
/// So committed bytes are read after each collection, on the finalizer thread, by a finalizable
/// sentinel allocated in generation 0 (condemned by every collection) that makes its successor as it
/// is finalized; a read of the figure is then one call and one field. Before the first collection the
/// figure is the bytes in use.
/// </para>
/// </remarks>
internal static class ManagedHeap
{
    private static long s_committedAtLastCollection;

    static ManagedHeap() => _ = new Sentinel();

    /// <summary>Reads the figure: one runtime call, no allocation.</summary>
    public static long ReadBytes() =>
        Math.Max(GC.GetTotalMemory(forceFullCollection: false), Volatile.Read(ref s_committedAtLastCollection));

    /// <summary>Finalized after the collection that found it unreachable, which is the next one.</summary>
    private sealed class Sentinel
    {
        ~Sentinel()
        {
            if (Environment.HasShutdownStarted)
            {
                return;
            }

            Volatile.Write(ref s_committedAtLastCollection, GC.GetGCMemoryInfo().TotalCommittedBytes);
            _ = new Sentinel();
        }
    }
}
