using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Results;

public class MemoryDumpResultTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_success_summarises_the_heap_in_one_line()
    {
        var result = MemoryDumpResult.Success(Time, default, FakeHeapAnalyser.Breakdown with { TotalBytes = 1_234_567 }, default, null, includesUnreachable: false);

        Assert.True(result.Succeeded);
        Assert.Null(result.FailureReason);
        Assert.Equal("1,234,567 bytes in 13 objects of 2 types", result.ToString());
    }

    [Fact]
    public void A_failure_has_its_reason_and_no_breakdown()
    {
        var result = MemoryDumpResult.Failure(Time, "no room");

        Assert.False(result.Succeeded);
        Assert.Equal("failed: no room", result.ToString());
        Assert.Empty(result.Types);
        Assert.Equal((0, 0L, 0L, default(GcHeapFigures)), (result.TypeCount, result.ObjectCount, result.TotalBytes, result.Heap));
        Assert.Equal(Time, result.Timestamp);
    }
}
