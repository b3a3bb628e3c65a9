using System.Globalization;
using MemoryPressure.Reactive.Diagnostics.Analysis;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>
/// The outcome of one memory dump: the per-type breakdown of the managed heap with the figures of its
/// header, or why the dump could not be taken.
/// </summary>
/// <remarks>
/// A failed result has <see cref="FailureReason"/> set, an empty <see cref="Types"/> list and zero
/// figures. The breakdown lists at most <see cref="MemoryDumpOptions.TopTypes"/> types, largest first;
/// <see cref="TypeCount"/>, <see cref="ObjectCount"/> and <see cref="TotalBytes"/> cover the whole heap.
/// </remarks>
public sealed class MemoryDumpResult
{
    private MemoryDumpResult(DateTimeOffset timestamp, string? failureReason, Exception? exception)
    {
        Timestamp = timestamp;
        FailureReason = failureReason;
        Exception = exception;
    }

    /// <summary>Gets a value indicating whether the breakdown was taken.</summary>
    public bool Succeeded => FailureReason is null;

    /// <summary>Gets why the dump could not be taken, or <see langword="null"/> when it succeeded.</summary>
    public string? FailureReason { get; }

    /// <summary>Gets the exception behind a failure, when there was one (a refusal, such as too little disk space, has none).</summary>
    public Exception? Exception { get; }

    /// <summary>Gets when the dump was requested (UTC).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the process's memory figures (resident bytes, limit) read just before the dump.</summary>
    public MemorySample Sample { get; private init; }

    /// <summary>Gets the garbage collector's figures: the heap by generation, committed bytes, collection counts.</summary>
    public GcHeapFigures Heap { get; private init; }

    /// <summary>Gets the largest types on the heap, by bytes, largest first.</summary>
    public IReadOnlyList<TypeUsage> Types { get; private init; } = [];

    /// <summary>Gets how many distinct types the heap held.</summary>
    public int TypeCount { get; private init; }

    /// <summary>Gets how many objects (free space entries included) the heap held.</summary>
    public long ObjectCount { get; private init; }

    /// <summary>Gets the bytes of all objects walked on the heap, free space between them included.</summary>
    public long TotalBytes { get; private init; }

    /// <summary>
    /// Gets the bytes of heap that could not be walked (a region the dump lacks, or an object that does not
    /// parse); normally <c>0</c>.
    /// </summary>
    public long UnreadableBytes { get; private init; }

    /// <summary>Gets the path of the kept dump file, or <see langword="null"/> when the dump was not kept.</summary>
    public string? DumpFilePath { get; private init; }

    /// <summary>Gets whether the breakdown counts every object (<see cref="MemoryDumpOptions.IncludeUnreachable"/>) rather than live objects only.</summary>
    public bool IncludesUnreachable { get; private init; }

    /// <summary>Gets how long the full collection before the dump took, which leaves live objects only; zero when <see cref="IncludesUnreachable"/>.</summary>
    public TimeSpan CollectionDuration { get; private init; }

    /// <summary>Gets how long the runtime took to write the dump; the process is suspended for most of it.</summary>
    public TimeSpan DumpDuration { get; private init; }

    /// <summary>Gets how long reading the dump and totalling its objects took.</summary>
    public TimeSpan AnalysisDuration { get; private init; }

    /// <summary>Returns a one-line summary: the totals, or the failure reason.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() => Succeeded
        ? string.Create(CultureInfo.InvariantCulture, $"{TotalBytes:N0} bytes in {ObjectCount:N0} objects of {TypeCount:N0} types")
        : $"failed: {FailureReason}";

    internal static MemoryDumpResult Failure(DateTimeOffset timestamp, string reason, Exception? exception = null) =>
        new(timestamp, reason, exception);

    internal static MemoryDumpResult Success(DateTimeOffset timestamp, MemorySample sample, HeapBreakdown breakdown, DumpTimings timings, string? keptFile, bool includesUnreachable) =>
        new(timestamp, null, null)
        {
            Sample = sample,
            Heap = breakdown.Heap,
            Types = breakdown.Types,
            TypeCount = breakdown.TypeCount,
            ObjectCount = breakdown.ObjectCount,
            TotalBytes = breakdown.TotalBytes,
            UnreadableBytes = breakdown.UnreadableBytes,
            DumpFilePath = keptFile,
            IncludesUnreachable = includesUnreachable,
            CollectionDuration = timings.Collection,
            DumpDuration = timings.Dump,
            AnalysisDuration = timings.Analysis,
        };
}
