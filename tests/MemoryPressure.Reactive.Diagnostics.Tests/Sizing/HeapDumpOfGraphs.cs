using System.Runtime.InteropServices;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Sizing;

/// <summary>
/// The exactness graphs, measured with <see cref="ObjectSize"/>, then found in one heap dump of
/// this process and measured again with ClrMD. Shared by the tests of a class: a dump takes seconds.
/// </summary>
public sealed class HeapDumpOfGraphs
{
    public HeapDumpOfGraphs()
    {
        var graphs = ExactnessGraphs.Create();
        var roots = graphs.Values.ToArray();
        Plain = graphs.ToDictionary(graph => graph.Key, graph => ObjectSize.GetSize(graph.Value));
        Counted = graphs.ToDictionary(graph => graph.Key, graph => Totals(ObjectSize.GetSize(graph.Value, new ObjectSizeOptions())));

        var anchor = GCHandle.Alloc(roots);
        try
        {
            using var dump = SelfHeapDump.TryTake(out var whyNot);
            SkipReason = whyNot;
            if (dump is not null)
            {
                var array = dump.ObjectOf(anchor);
                Dumped = graphs.Keys
                    .Select((name, index) => (name, Totals: dump.Measure(dump.Element(array, index))))
                    .ToDictionary(graph => graph.name, graph => graph.Totals);
            }
        }
        finally
        {
            anchor.Free();
        }
    }

    /// <summary>Gets the names of the graphs.</summary>
    public static TheoryData<string> Names => [.. ExactnessGraphs.Names];

    /// <summary>Gets why no dump could be taken, or <see langword="null"/>.</summary>
    public string? SkipReason { get; }

    /// <summary>Gets what <see cref="ObjectSize.GetSize(object?)"/> weighed, by graph.</summary>
    public IReadOnlyDictionary<string, long> Plain { get; }

    /// <summary>Gets what <see cref="ObjectSize.GetSize(object?, ObjectSizeOptions)"/> counted, by graph.</summary>
    public IReadOnlyDictionary<string, (long Bytes, long Objects)> Counted { get; }

    /// <summary>Gets what ClrMD counted in the dump, by graph; empty when there is no dump.</summary>
    public IReadOnlyDictionary<string, (long Bytes, long Objects)> Dumped { get; } = new Dictionary<string, (long, long)>();

    private static (long Bytes, long Objects) Totals(ObjectSizeResult result) => (result.Bytes, result.ObjectCount);
}
