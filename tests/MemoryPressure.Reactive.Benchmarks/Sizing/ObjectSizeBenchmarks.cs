using BenchmarkDotNet.Attributes;

namespace MemoryPressure.Reactive.Benchmarks.Sizing;

/// <summary>
/// Weighing a graph of a million objects: a dictionary of 333,333 small records, each with its
/// own string and byte array. Baseline: <see cref="ReflectionSizeWalker"/>.
/// Target: <see cref="ObjectSize.GetSize(object?)"/> at least 10 times faster, allocating in
/// proportion to the distinct objects (here about 1/64 of the graph's bytes, for the visited
/// bitmap) and nothing per reference followed.
/// </summary>
[MemoryDiagnoser]
public class ObjectSizeBenchmarks
{
    private const int Records = 333_333;

    private readonly ReflectionSizeWalker _reflection = new();
    private readonly ObjectSizeOptions _topTypes = new() { TopTypes = 5 };
    private Dictionary<int, SmallRecord> _graph = [];

    [GlobalSetup]
    public void Setup()
    {
        _graph = new Dictionary<int, SmallRecord>(Records);
        for (var i = 0; i < Records; i++)
        {
            _graph[i] = new SmallRecord(i, $"record {i}", new byte[i % 32]);
        }

        var result = ObjectSize.GetSize(_graph, _topTypes);
        var baseline = _reflection.GetSize(_graph);
        if (baseline != result.Bytes || result.ObjectCount != (3 * Records) + 3)
        {
            throw new InvalidOperationException($"The walkers disagree: {baseline} bytes by reflection, {result}.");
        }
    }

    [Benchmark(Baseline = true)]
    public long ReflectionWalker() => _reflection.GetSize(_graph);

    [Benchmark]
    public long GetSize() => ObjectSize.GetSize(_graph);

    [Benchmark]
    public long GetSizeWithTopTypes() => ObjectSize.GetSize(_graph, _topTypes).Bytes;

    /// <summary>A small record: an id, a name and a payload, three objects with the record itself.</summary>
    public sealed record SmallRecord(int Id, string Name, byte[] Payload);
}
