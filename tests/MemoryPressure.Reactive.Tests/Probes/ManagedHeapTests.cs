using MemoryPressure.Reactive.Probes;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Probes;

/// <summary>The heap figure the heap conditions judge; alone, since it counts what other tests' collections would move.</summary>
[Collection(SerialTests.Name)]
public class ManagedHeapTests
{
    [Fact]
    public void After_a_collection_the_figure_is_at_least_what_the_heap_had_committed_and_reading_it_allocates_nothing()
    {
        ManagedHeap.ReadBytes();
        var retained = new byte[64][];
        for (var i = 0; i < retained.Length; i++)
        {
            retained[i] = new byte[256 * 1024];
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var figure = ManagedHeap.ReadBytes();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(committed > GC.GetTotalMemory(forceFullCollection: false), "the test needs a heap whose committed bytes exceed those in use");
        Assert.True(figure >= committed, $"{figure} bytes read, {committed} committed at the last collection");
        Assert.True(figure >= 64 * 256 * 1024, $"{figure} bytes read with 16 MiB retained");
        Assert.Equal(0, allocated);
        GC.KeepAlive(retained);
    }
}
