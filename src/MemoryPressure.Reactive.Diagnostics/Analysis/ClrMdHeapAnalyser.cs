using System.Globalization;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using Microsoft.Diagnostics.Runtime;

namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>
/// Reads a dump of this process with ClrMD, through the runtime's own data access library (DAC), and
/// totals its heap with a <see cref="HeapWalker"/>.
/// </summary>
/// <remarks>
/// ClrMD gives the segments, the allocation contexts and the type of each method table; the walker
/// reads the objects itself, in 1 MiB chunks through ClrMD's file-backed reader (not a memory map, so
/// the dump's pages do not join the resident set), keeping one tally per type. The memory the analysis
/// adds is therefore ClrMD's runtime structures, its read cache and the tallies: a few MiB whatever the
/// heap's size.
/// </remarks>
internal sealed class ClrMdHeapAnalyser : IHeapAnalyser
{
    public static string DacPath { get; } = Path.Combine(
        RuntimeEnvironment.GetRuntimeDirectory(),
        OperatingSystem.IsWindows() ? "mscordaccore.dll" : OperatingSystem.IsMacOS() ? "libmscordaccore.dylib" : "libmscordaccore.so");

    public string? WhyUnavailable()
    {
        if (IntPtr.Size != 8)
        {
            return "only 64-bit processes can be analysed";
        }

        return File.Exists(DacPath)
            ? null
            : $"the runtime's data access library {DacPath} is missing (a single-file or trimmed deployment may leave it out)";
    }

    public HeapBreakdown Analyse(string dumpPath, int topTypes, CancellationToken cancellationToken)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        var clr = target.ClrVersions.FirstOrDefault() ?? throw new DumpFailureException("the dump holds no .NET runtime");

        // The dump is of this very process, so the runtime's own DAC matches it exactly.
        using var runtime = clr.CreateRuntime(DacPath, ignoreMismatch: true);
        var heap = runtime.Heap;
        if (!heap.CanWalkHeap)
        {
            throw new DumpFailureException("the dump was taken during a garbage collection, when the heap cannot be walked");
        }

        var walker = new HeapWalker(
            new DumpMemory(target.DataReader),
            methodTable => ShapeOf(heap.GetTypeByMethodTable(methodTable)),
            heap.EnumerateAllocationContexts().Select(context => (context.Start, context.End)));
        long committed = 0;
        foreach (var segment in heap.Segments)
        {
            if (segment.Kind != GCSegmentKind.Frozen)
            {
                committed += (long)segment.CommittedMemory.Length;
            }

            foreach (var range in RangesOf(segment))
            {
                walker.Walk(range, cancellationToken);
            }
        }

        var figures = new GcHeapFigures
        {
            Generation0Bytes = walker.BytesIn(HeapArea.Generation0),
            Generation1Bytes = walker.BytesIn(HeapArea.Generation1),
            Generation2Bytes = walker.BytesIn(HeapArea.Generation2),
            LargeObjectHeapBytes = walker.BytesIn(HeapArea.LargeObjects),
            PinnedObjectHeapBytes = walker.BytesIn(HeapArea.PinnedObjects),

            FragmentedBytes = walker.Totals.Find(heap.FreeType.MethodTable)?.Bytes ?? 0,

            // From the dump's own segments: GC.GetGCMemoryInfo() would say 0 before the first collection.
            CommittedBytes = committed,
        };
        return walker.Totals.Summarize(topTypes, methodTable => NameOf(heap, methodTable), figures, walker.UnreadableBytes);
    }

    /// <summary>Splits a segment into runs of one area: a region holds one generation, an ephemeral segment three.</summary>
    private static IEnumerable<HeapRange> RangesOf(ClrSegment segment) => segment.Kind switch
    {
        GCSegmentKind.Generation0 => [new(segment.ObjectRange.Start, segment.ObjectRange.End, HeapArea.Generation0)],
        GCSegmentKind.Generation1 => [new(segment.ObjectRange.Start, segment.ObjectRange.End, HeapArea.Generation1)],
        GCSegmentKind.Generation2 => [new(segment.ObjectRange.Start, segment.ObjectRange.End, HeapArea.Generation2)],
        GCSegmentKind.Large => [new(segment.ObjectRange.Start, segment.ObjectRange.End, HeapArea.LargeObjects)],
        GCSegmentKind.Pinned => [new(segment.ObjectRange.Start, segment.ObjectRange.End, HeapArea.PinnedObjects)],
        GCSegmentKind.Ephemeral =>
        [
            new(segment.Generation2.Start, segment.Generation2.End, HeapArea.Generation2),
            new(segment.Generation1.Start, segment.Generation1.End, HeapArea.Generation1),
            new(segment.Generation0.Start, segment.Generation0.End, HeapArea.Generation0),
        ],

        // Frozen segments hold objects the runtime preallocated outside the GC heap (string literals,
        // type objects): the GC neither counts nor collects them.
        _ => [],
    };

    private static ObjectShape? ShapeOf(ClrType? type) =>
        type is null ? null : new ObjectShape((uint)type.StaticSize, (uint)type.ComponentSize, type.IsString);

    private static string NameOf(ClrHeap heap, ulong methodTable) =>
        heap.GetTypeByMethodTable(methodTable)?.Name ?? string.Create(CultureInfo.InvariantCulture, $"<unnamed type {methodTable:x}>");

    private sealed class DumpMemory(IDataReader reader) : IHeapMemory
    {
        public int Read(ulong address, Span<byte> buffer) => reader.Read(address, buffer);
    }
}
