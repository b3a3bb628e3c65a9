using BenchmarkDotNet.Attributes;
using MemoryPressure.Reactive.Ladder;

namespace MemoryPressure.Reactive.Benchmarks.Ladder;

/// <summary>
/// One sample through a 5-level ladder's state machine against the same 5 conditions judged in a
/// plain loop (highest holding wins). Target: within 5x the loop, no allocation.
/// </summary>
[MemoryDiagnoser]
public class LadderBenchmarks
{
    private readonly MemoryCondition[] _conditions = LadderOfFive.Conditions();
    private LadderState _state = null!;
    private MemorySample _sample;

    [GlobalSetup]
    public void Setup()
    {
        _state = new LadderState(new SeverityLadder(_conditions));
        _sample = LadderOfFive.SampleAtLevel(2);
    }

    [Benchmark(Baseline = true)]
    public int PlainLoopOverFiveConditions()
    {
        var level = 0;
        for (var i = 0; i < _conditions.Length; i++)
        {
            if (_conditions[i].CanFire(_sample))
            {
                level = i + 1;
            }
        }

        return level;
    }

    [Benchmark]
    public int LadderStateEvaluate() => _state.Evaluate(_sample);
}
