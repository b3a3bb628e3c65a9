using MemoryPressure.Reactive.Sizing;

namespace MemoryPressure.Reactive.Tests.Sizing;

/// <summary>
/// How a measure survives garbage collections: driven through a fake GC count, so that "a
/// collection happened" is decided by the test, not by the runtime.
/// </summary>
public class ObjectGraphTests
{
    // Large enough for the walk to check the GC count several times before it ends.
    private static readonly string[] Graph = [.. Enumerable.Range(0, 50_000).Select(i => i.ToString("D6"))];

    private static readonly long GraphBytes = ObjectSize.GetSize(Graph);

    [Fact]
    public void A_measure_no_collection_interrupts_reads_the_count_once_to_start_and_at_each_check()
    {
        var reads = 0;

        var totals = Measure(() => { reads++; return 7; });

        Assert.Equal(GraphBytes, totals.Bytes);
        Assert.Equal(Graph.Length + 1, totals.Objects);
        Assert.InRange(reads, 2, 2 + (Graph.Length / 1000));
    }

    [Fact]
    public void An_attempt_a_collection_interrupts_is_void_and_the_next_one_counts_the_whole_graph()
    {
        var reads = 0;

        // A collection after the first attempt's third read: it is void mid-way.
        var totals = Measure(() => ++reads <= 3 ? 0 : 1);

        Assert.Equal(GraphBytes, totals.Bytes);
        Assert.Equal(Graph.Length + 1, totals.Objects);
        Assert.Equal(ObjectSizeStopReason.None, totals.StopReason);
    }

    [Fact]
    public void When_collections_never_stop_the_third_attempt_uses_identity_hashes_and_counts_the_whole_graph()
    {
        var count = 0;

        var totals = Measure(() => count++);

        Assert.Equal(GraphBytes, totals.Bytes);
        Assert.Equal(Graph.Length + 1, totals.Objects);
    }

    [Fact]
    public void A_void_attempt_takes_back_its_per_type_totals()
    {
        var count = 0;
        var types = new TypeTable(exclude: null);

        var totals = ObjectGraph.Measure(Graph, new TypeTally(types), long.MaxValue, long.MaxValue, () => count++);

        var strings = Assert.Single(types.Largest(10), type => type.Type == typeof(string));
        Assert.Equal(Graph.Length, strings.ObjectCount);
        Assert.Equal(totals.Bytes, types.Largest(10).Sum(type => type.Bytes));
    }

    [Fact]
    public void A_limit_reached_in_an_attempt_a_collection_voids_is_decided_again()
    {
        var reads = 0;

        var totals = ObjectGraph.Measure(Graph, default(NoTally), Graph.Length / 2, long.MaxValue, () => ++reads <= 3 ? 0 : 1);

        Assert.Equal(Graph.Length / 2, totals.Objects);
        Assert.Equal(ObjectSizeStopReason.MaximumObjects, totals.StopReason);
    }

    [Fact]
    public void A_collection_that_moves_the_graph_in_the_middle_of_a_walk_does_not_change_its_size()
    {
        var expected = ObjectSize.GetSize(FreshStrings());
        var graph = FreshStrings();
        var probe = graph[^1];
        var before = ObjectLayout.AddressOf(probe);
        var reads = 0;

        // The third read comes a few thousand objects into the first attempt: collect, compacting, right there.
        var totals = ObjectGraph.Measure(graph, default(NoTally), long.MaxValue, long.MaxValue, () =>
        {
            if (++reads == 3)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            return GC.CollectionCount(0);
        });

        Assert.NotEqual(before, ObjectLayout.AddressOf(probe));
        Assert.Equal(expected, totals.Bytes);
    }

    /// <summary>
    /// Young strings with garbage between them, so that a compacting collection slides every one of
    /// them, each listed twice: the second time, the walk meets objects the collection moved.
    /// </summary>
    private static List<string> FreshStrings()
    {
        var kept = new List<string>(50_000);
        for (var i = 0; i < 50_000; i++)
        {
            var text = new string('v', i % 50);
            if (i % 2 == 0)
            {
                kept.Add(text);
            }
        }

        kept.AddRange(kept);
        return kept;
    }

    private static ObjectGraphTotals Measure(Func<int> collectionCount) =>
        ObjectGraph.Measure(Graph, default(NoTally), long.MaxValue, long.MaxValue, collectionCount);
}
