namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>What the walk of one dump found: the largest types and the totals of the whole heap.</summary>
/// <param name="Types">The largest types by bytes, largest first, at most as many as asked for.</param>
/// <param name="TypeCount">How many distinct types were found.</param>
/// <param name="ObjectCount">How many objects were walked.</param>
/// <param name="TotalBytes">The bytes of all walked objects.</param>
/// <param name="UnreadableBytes">The bytes of heap the walk had to skip.</param>
/// <param name="Heap">The walked bytes per generation and the committed bytes of the segments (the collection counts are left at zero).</param>
internal sealed record HeapBreakdown(
    IReadOnlyList<TypeUsage> Types,
    int TypeCount,
    long ObjectCount,
    long TotalBytes,
    long UnreadableBytes,
    GcHeapFigures Heap);
