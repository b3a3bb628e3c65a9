using MemoryPressure.Reactive.Diagnostics.Tests.Support;
namespace MemoryPressure.Reactive.Diagnostics.Tests.Sizing;

/// <summary>
/// ObjectSize against the runtime's own account: a heap dump of this process read with ClrMD,
/// each object's size rounded up as the GC rounds it. Equal byte for byte, and object for object.
/// </summary>
[Collection(DumpTests.Name)]
public class ObjectSizeExactnessTests(HeapDumpOfGraphs graphs) : IClassFixture<HeapDumpOfGraphs>
{
    [SkippableTheory]
    [MemberData(nameof(HeapDumpOfGraphs.Names), MemberType = typeof(HeapDumpOfGraphs))]
    public void A_graph_weighs_what_a_heap_dump_of_the_process_says_byte_for_byte(string graph)
    {
        Skip.If(graphs.SkipReason is not null, graphs.SkipReason);

        Assert.Equal(graphs.Dumped[graph].Bytes, graphs.Plain[graph]);
        Assert.Equal(graphs.Dumped[graph], graphs.Counted[graph]);
    }
}
