namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>The garbage collector's figures at the time of a dump: the heap by generation and the collection counts.</summary>
/// <remarks>
/// The generation sizes are the bytes of objects (free space between them included) found in each
/// generation when the dump was walked; <see cref="CommittedBytes"/> is what the runtime reports as of
/// its last collection (<see cref="GCMemoryInfo.TotalCommittedBytes"/>).
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

    /// <summary>Gets the memory the GC had committed at its last collection, in bytes.</summary>
    public long CommittedBytes { get; init; }

    /// <summary>Gets how many generation 0 collections had run.</summary>
    public int Generation0Collections { get; init; }

    /// <summary>Gets how many generation 1 collections had run.</summary>
    public int Generation1Collections { get; init; }

    /// <summary>Gets how many generation 2 (full) collections had run.</summary>
    public int Generation2Collections { get; init; }
}
