using MemoryPressure.Reactive.Diagnostics.Analysis;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Analysis;

public class TypeTotalsTests
{
    private static readonly ObjectShape Shape = new(24, 0, false);

    private static TypeTotals Totals(params (ulong MethodTable, long Count, long Bytes)[] tallies)
    {
        var totals = new TypeTotals();
        foreach (var (methodTable, count, bytes) in tallies)
        {
            var tally = totals.Add(methodTable, Shape);
            for (var i = 0; i < count; i++)
            {
                tally.Add(bytes / count);
            }
        }

        return totals;
    }

    [Fact]
    public void Lists_the_largest_types_first_and_totals_the_whole_heap()
    {
        var totals = Totals((1, 2, 200), (2, 1, 500), (3, 4, 300));

        var breakdown = totals.Summarize(10, mt => $"T{mt}", default, 0);

        Assert.Equal(["T2", "T3", "T1"], breakdown.Types.Select(t => t.TypeName));
        Assert.Equal([500L, 300L, 200L], breakdown.Types.Select(t => t.Bytes));
        Assert.Equal([1L, 4L, 2L], breakdown.Types.Select(t => t.Count));
        Assert.Equal((3, 7L, 1000L), (breakdown.TypeCount, breakdown.ObjectCount, breakdown.TotalBytes));
        Assert.Equal([0.5, 0.3, 0.2], breakdown.Types.Select(t => Math.Round(t.Share, 10)));
    }

    [Fact]
    public void Equal_bytes_are_ordered_by_count()
    {
        var breakdown = Totals((1, 1, 100), (2, 4, 100)).Summarize(10, mt => $"T{mt}", default, 0);

        Assert.Equal(["T2", "T1"], breakdown.Types.Select(t => t.TypeName));
    }

    [Fact]
    public void Lists_at_most_the_top_types_and_names_only_those()
    {
        var named = new List<ulong>();

        var breakdown = Totals((1, 1, 100), (2, 1, 200), (3, 1, 300)).Summarize(2, mt =>
        {
            named.Add(mt);
            return $"T{mt}";
        }, default, 0);

        Assert.Equal(["T3", "T2"], breakdown.Types.Select(t => t.TypeName));
        Assert.Equal([3UL, 2UL], named);
        Assert.Equal((3, 600L), (breakdown.TypeCount, breakdown.TotalBytes));
    }

    [Fact]
    public void An_empty_heap_has_no_types_and_no_division_by_zero()
    {
        var breakdown = new TypeTotals().Summarize(10, mt => "never", default, 7);

        Assert.Empty(breakdown.Types);
        Assert.Equal((0, 0L, 0L, 7L), (breakdown.TypeCount, breakdown.ObjectCount, breakdown.TotalBytes, breakdown.UnreadableBytes));
    }

    [Fact]
    public void Finds_a_tally_by_its_method_table()
    {
        var totals = Totals((1, 1, 100));

        Assert.Equal(1UL, totals.Find(1)?.MethodTable);
        Assert.Null(totals.Find(2));
    }
}
