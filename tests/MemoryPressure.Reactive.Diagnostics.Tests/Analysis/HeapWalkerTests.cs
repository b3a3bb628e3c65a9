using MemoryPressure.Reactive.Diagnostics.Analysis;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Analysis;

public class HeapWalkerTests
{
    private const ulong Node = 0x7000_0010;
    private const ulong Bytes = 0x7000_0020;
    private const ulong Text = 0x7000_0030;

    private readonly SyntheticHeap _heap = new();

    public HeapWalkerTests()
    {
        _heap.Define(Node, new ObjectShape(32, 0, false));
        _heap.Define(Bytes, new ObjectShape(24, 1, false));
        _heap.Define(Text, new ObjectShape(20, 2, true));
    }

    private HeapWalker Walker(int bufferSize = HeapWalker.DefaultBufferSize, params (ulong Start, ulong End)[] allocationContexts) =>
        new(_heap, _heap.ShapeOf, allocationContexts, bufferSize);

    private void Walk(HeapWalker walker, HeapArea area = HeapArea.Generation0) =>
        walker.Walk(new HeapRange(SyntheticHeap.Base, _heap.End, area), CancellationToken.None);

    private static (long Count, long Bytes) TallyOf(HeapWalker walker, ulong methodTable) =>
        walker.Totals.Find(methodTable) is { } tally ? (tally.Count, tally.Bytes) : (0, 0);

    private void AddMixedObjects()
    {
        _heap.Add(Node);
        _heap.Add(Bytes, 5);
        _heap.Add(Node);
        _heap.Add(Text, 3);
        _heap.Add(Bytes, 100);
        _heap.Add(Node);
    }

    [Fact]
    public void Totals_each_type_by_count_and_allocated_bytes()
    {
        AddMixedObjects();
        var walker = Walker();

        Walk(walker);

        Assert.Equal((3L, 96L), TallyOf(walker, Node));
        Assert.Equal((2L, 32L + 128L), TallyOf(walker, Bytes));
        Assert.Equal((1L, 32L), TallyOf(walker, Text));
        Assert.Equal(0, walker.UnreadableBytes);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(100)]
    public void Reading_in_small_chunks_gives_the_same_totals(int bufferSize)
    {
        AddMixedObjects();
        var walker = Walker(bufferSize);

        Walk(walker);

        Assert.Equal((3L, 96L), TallyOf(walker, Node));
        Assert.Equal((2L, 160L), TallyOf(walker, Bytes));
        Assert.Equal((1L, 32L), TallyOf(walker, Text));
        Assert.True(_heap.ReadSizes.Count > 1);
    }

    [Fact]
    public void Reads_a_small_object_range_in_one_chunk()
    {
        AddMixedObjects();

        Walk(Walker());

        Assert.Equal([(int)(_heap.End - SyntheticHeap.Base)], _heap.ReadSizes);
    }

    [Fact]
    public void Skips_the_unused_end_of_an_allocation_context_and_the_minimum_object_after_it()
    {
        _heap.Add(Node);
        var context = _heap.Gap(64);
        _heap.Gap((int)ObjectShape.MinimumSize);
        _heap.Add(Bytes, 8);
        var walker = Walker(allocationContexts: (context, context + 64));

        Walk(walker);

        Assert.Equal((1L, 32L), TallyOf(walker, Node));
        Assert.Equal((1L, 32L), TallyOf(walker, Bytes));
        Assert.Equal(2, walker.Totals.TypeCount);
        Assert.Equal(0, walker.UnreadableBytes);
    }

    [Fact]
    public void Does_not_skip_allocation_contexts_on_the_large_object_heap()
    {
        var first = _heap.Add(Bytes, 100);
        _heap.Add(Bytes, 100);
        var walker = Walker(allocationContexts: (first + 128, first + 256));

        Walk(walker, HeapArea.LargeObjects);

        Assert.Equal((2L, 256L), TallyOf(walker, Bytes));
    }

    [Fact]
    public void Ignores_the_garbage_collector_flag_bits_in_the_method_table_pointer()
    {
        _heap.Add(Node, flagBits: 1);
        _heap.Add(Node, flagBits: 2);
        var walker = Walker();

        Walk(walker);

        Assert.Equal((2L, 64L), TallyOf(walker, Node));
    }

    [Fact]
    public void An_unknown_method_table_ends_the_range_and_the_rest_is_unreadable()
    {
        const ulong unknown = 0x6666_0000;
        _heap.Add(Node);
        _heap.Define(unknown, new ObjectShape(40, 0, false));
        _heap.Add(unknown);
        _heap.Add(Node);
        var walker = new HeapWalker(_heap, mt => mt == unknown ? null : _heap.ShapeOf(mt), []);

        walker.Walk(new HeapRange(SyntheticHeap.Base, _heap.End, HeapArea.Generation0), CancellationToken.None);

        Assert.Equal((1L, 32L), TallyOf(walker, Node));
        Assert.Equal(40 + 32, walker.UnreadableBytes);
    }

    [Fact]
    public void An_object_that_would_run_past_its_range_ends_the_walk_there()
    {
        _heap.Add(Node);
        var broken = _heap.Add(Bytes, 8);
        var walker = Walker();

        walker.Walk(new HeapRange(SyntheticHeap.Base, broken + 16, HeapArea.Generation0), CancellationToken.None);

        Assert.Equal((1L, 32L), TallyOf(walker, Node));
        Assert.Equal(16, walker.UnreadableBytes);
    }

    [Fact]
    public void Memory_the_dump_lacks_ends_the_range_and_the_rest_is_unreadable()
    {
        _heap.Add(Node);
        _heap.Add(Node);
        _heap.Add(Node);
        _heap.Readable = SyntheticHeap.Base + 64;
        var walker = Walker(bufferSize: 32);

        Walk(walker);

        Assert.Equal((2L, 64L), TallyOf(walker, Node));
        Assert.Equal(32, walker.UnreadableBytes);
    }

    [Fact]
    public void Reads_only_the_method_table_and_length_of_a_large_object()
    {
        _heap.Add(Bytes, 4000);
        _heap.Add(Bytes, 8000);
        var walker = Walker();

        Walk(walker, HeapArea.LargeObjects);

        Assert.Equal([12, 12], _heap.ReadSizes);
        Assert.Equal((2L, 4024L + 8024L), TallyOf(walker, Bytes));
    }

    [Fact]
    public void Adds_the_bytes_of_each_range_to_its_heap_area()
    {
        var first = _heap.Add(Node);
        var second = _heap.Add(Bytes, 100);
        var third = _heap.Add(Node);
        var walker = Walker();

        walker.Walk(new HeapRange(first, second, HeapArea.Generation2), CancellationToken.None);
        walker.Walk(new HeapRange(second, third, HeapArea.PinnedObjects), CancellationToken.None);
        walker.Walk(new HeapRange(third, _heap.End, HeapArea.Generation0), CancellationToken.None);

        Assert.Equal(
            [32L, 0L, 32L, 0L, 128L],
            [walker.BytesIn(HeapArea.Generation0), walker.BytesIn(HeapArea.Generation1), walker.BytesIn(HeapArea.Generation2), walker.BytesIn(HeapArea.LargeObjects), walker.BytesIn(HeapArea.PinnedObjects)]);
    }

    [Fact]
    public void A_cancelled_walk_throws_before_reading()
    {
        _heap.Add(Node);
        var walker = Walker();

        Assert.Throws<OperationCanceledException>(() => walker.Walk(new HeapRange(SyntheticHeap.Base, _heap.End, HeapArea.Generation0), new CancellationToken(canceled: true)));
        Assert.Empty(_heap.ReadSizes);
    }
}
