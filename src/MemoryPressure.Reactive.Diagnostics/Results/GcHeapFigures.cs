namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>The garbage collector's figures at the time of a dump: the heap by generation and the collection counts.</summary>
/// <remarks>
/// The generation sizes are the bytes of objects (free space between them included) found in each
/// generation when the dump was walked; <see cref="CommittedBytes"/> is the memory committed to the
/// heap's segments in the dump, right at any time (unlike <see cref="GCMemoryInfo.TotalCommittedBytes"/>,
/// which is empty until the first collection and dates from the last one). The collection counts
/// are the runtime's, read just before the dump.
/// </remarks>
public readonly record struct GcHeapFigures
{
    /// <summary>Gets the bytes of generation 0.</summary>
    public long Generation0Bytes { get; init; }

    /// <summary>Gets the bytes of generation 1.</summary>
    public long Generation1Bytes { get; init; }

    /// <summary>Gets the bytes of generation 2.</summary>
    public long Generation2Bytes { get; init; }

    /// <summary>Gets the bytes of the large object heap.</summary>
    public long LargeObjectHeapBytes { get; init; }

    /// <summary>Gets the bytes of the pinned object heap.</summary>
    public long PinnedObjectHeapBytes { get; init; }

    /// <summary>
    /// Gets the bytes of free space between objects (the GC's <c>Free</c> objects): fragmentation, part
    /// of the generation sizes and of the breakdown's total, listed there as the type <c>Free</c>.
    /// </summary>
    public long FragmentedBytes { get; init; }

    /// <summary>Gets the memory committed to the GC heap's segments when the dump was taken, in bytes.</summary>
    public long CommittedBytes { get; init; }

    /// <summary>Gets how many generation 0 collections had run.</summary>
    public int Generation0Collections { get; init; }

    /// <summary>Gets how many generation 1 collections had run.</summary>
    public int Generation1Collections { get; init; }

    /// <summary>Gets how many generation 2 (full) collections had run.</summary>
    public int Generation2Collections { get; init; }
}
