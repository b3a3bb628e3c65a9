using MemoryPressure.Reactive.Diagnostics.Analysis;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>An analyser that returns a fixed breakdown, or fails, as a test tells it.</summary>
internal sealed class FakeHeapAnalyser : IHeapAnalyser
{
    public static readonly HeapBreakdown Breakdown = new(
        [new TypeUsage("System.Byte[]", 3, 3_000, 0.75), new TypeUsage("System.String", 10, 1_000, 0.25)],
        TypeCount: 2,
        ObjectCount: 13,
        TotalBytes: 4_000,
        UnreadableBytes: 0,
        Heap: new GcHeapFigures { Generation0Bytes = 1_000, Generation2Bytes = 3_000, CommittedBytes = 8_192 });

    public string? Unavailable { get; init; }

    public Func<string, HeapBreakdown> Analyse { get; init; } = _ => Breakdown;

    public List<string> Files { get; } = [];

    public string? WhyUnavailable() => Unavailable;

    HeapBreakdown IHeapAnalyser.Analyse(string dumpPath, int topTypes, CancellationToken cancellationToken)
    {
        Files.Add(dumpPath);
        return Analyse(dumpPath);
    }
}
