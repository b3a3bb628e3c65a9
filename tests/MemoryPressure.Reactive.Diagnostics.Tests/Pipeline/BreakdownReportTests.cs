using MemoryPressure.Reactive.Diagnostics.Pipeline;
using NSubstitute;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Pipeline;

public class BreakdownReportTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 17, 48, 29, TimeSpan.Zero);

    private static MemoryDumpResult Success(string? keptFile = null, long limit = 8L << 30, bool includesUnreachable = false) => MemoryDumpResult.Success(
        Time,
        new MemorySample { ProcessResidentBytes = 512L << 20, ProcessLimitBytes = limit, ProcessLimitSource = MemoryLimitSource.Cgroup },
        FakeHeapAnalyser.Breakdown with { TypeCount = 5, ObjectCount = 20, TotalBytes = 4_500 },
        new DumpTimings(includesUnreachable ? TimeSpan.Zero : TimeSpan.FromSeconds(0.08), TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(0.5)),
        keptFile,
        includesUnreachable);

    private static string[] Lines(MemoryDumpResult result) => BreakdownReport.Format(result).Split(Environment.NewLine);

    [Fact]
    public void The_header_gives_the_time_the_process_figures_the_heap_and_the_dump()
    {
        var lines = Lines(Success("/dumps/memory-1.dmp"));

        Assert.Equal($"Memory dump at 2026-11-26 17:48:29Z of process {Environment.ProcessId}", lines[0]);
        Assert.Equal("  process: resident 512.0 MiB of a 8,192.0 MiB limit (Cgroup)", lines[1]);
        Assert.Equal("  GC heap: committed 0.0 MiB; objects 0.0 MiB in 20 of 5 types, 0.0 MiB of it free space between objects", lines[2]);
        Assert.Equal("  by generation: gen0 0.0 MiB, gen1 0.0 MiB, gen2 0.0 MiB, LOH 0.0 MiB, POH 0.0 MiB", lines[3]);
        Assert.Equal("  collections before the dump: gen0 0, gen1 0, gen2 0", lines[4]);
        Assert.Equal("  objects: live only (a full collection ran first, in 0.08 s)", lines[5]);
        Assert.Equal("  dump: written in 1.25 s, analysed in 0.50 s; kept at /dumps/memory-1.dmp", lines[6]);
    }

    [Fact]
    public void A_breakdown_of_every_object_says_so()
    {
        Assert.Equal("  objects: all, unreachable ones included", Lines(Success(includesUnreachable: true))[5]);
    }

    [Fact]
    public void Each_listed_type_has_a_line_and_the_rest_are_totalled_on_one()
    {
        var lines = Lines(Success());

        Assert.Equal("           bytes        objects  share  type", lines[7]);
        Assert.Equal("           3,000              3  75.0%  System.Byte[]", lines[8]);
        Assert.Equal("           1,000             10  25.0%  System.String", lines[9]);
        Assert.Equal("             500              7         (3 more types)", lines[10]);
        Assert.Equal("", lines[11]);
    }

    [Fact]
    public void A_dump_that_was_not_kept_says_so_and_an_unknown_limit_too()
    {
        var lines = Lines(Success(limit: 0));

        Assert.EndsWith("with no known limit", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("; not kept", lines[6], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_is_one_line_with_its_reason()
    {
        var text = BreakdownReport.Format(MemoryDumpResult.Failure(Time, "no room"));

        Assert.Equal($"Memory dump at 2026-11-26 17:48:29Z of process {Environment.ProcessId} failed: no room{Environment.NewLine}", text);
    }

    [Fact]
    public void Heap_that_could_not_be_walked_is_reported()
    {
        var result = MemoryDumpResult.Success(Time, default, FakeHeapAnalyser.Breakdown with { UnreadableBytes = 4_096 }, default, null, includesUnreachable: false);

        Assert.Contains("  unreadable: 4,096 bytes of heap could not be walked", Lines(result));
        Assert.DoesNotContain(Lines(Success()), line => line.Contains("unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public void Writing_hands_the_whole_report_over_in_one_call_then_flushes()
    {
        var output = Substitute.For<TextWriter>();

        BreakdownReport.Write(output, Success());

        Received.InOrder(() =>
        {
            output.Write(BreakdownReport.Format(Success()));
            output.Flush();
        });
    }
}
