using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using MemoryPressure.Reactive.Benchmarks.Ladder;

namespace MemoryPressure.Reactive.Benchmarks.Manager;

/// <summary>
/// One sample through a manager with a 5-level ladder and 10 subscribers, fed through
/// <see cref="MemoryPressureOptions.Samples"/>. Targets: a sample that changes no level allocates
/// nothing; a level change allocates only what its events need (LevelChanged is a struct: nothing).
/// The baseline is the same sample pushed to 10 plain subscribers of a Subject: the cost of
/// delivering it at all.
/// </summary>
[MemoryDiagnoser]
public class ManagerBenchmarks : IDisposable
{
    private readonly Subject<MemorySample> _plain = new();
    private readonly Subject<MemorySample> _feed = new();
    private readonly MemorySample _level2 = LadderOfFive.SampleAtLevel(2);
    private readonly MemorySample _level3 = LadderOfFive.SampleAtLevel(3);
    private readonly object _cache = new();
    private MemoryPressureManager _manager = null!;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < 10; i++)
        {
            _plain.Subscribe(s => _sink += s.ProcessResidentBytes);
        }

        _manager = new MemoryPressureManager(new SeverityLadder(LadderOfFive.Conditions()), new MemoryPressureOptions { Samples = _feed });
        _manager.Samples.Subscribe(s => _sink += s.ProcessResidentBytes);
        _manager.Changes.Subscribe(c => _sink += c.To);
        _manager.Levels.Subscribe(l => _sink += l);
        _manager.Entered(3).Subscribe(c => _sink++);
        _manager.Left(3).Subscribe(c => _sink++);
        _manager.Remaining(1).Subscribe(s => _sink++);
        _manager.Remaining(2, TimeSpan.FromSeconds(10)).Subscribe(s => _sink++);
        _manager.MemoryNormal.Subscribe(c => _sink++);
        _manager.Errors.Subscribe(e => _sink++);
        _manager.CleanupOnEntered(3, _cache, static c => c.GetHashCode());
        _feed.OnNext(_level2);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _manager.Dispose();
        _feed.Dispose();
        _plain.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void SubjectToTenSubscribers() => _plain.OnNext(_level2);

    [Benchmark]
    public void ManagerSteadyState() => _feed.OnNext(_level2);

    /// <summary>Two samples: up to level 3 and back to 2, four events and a cleanup each time.</summary>
    [Benchmark]
    public void ManagerLevelChangeAndBack()
    {
        _feed.OnNext(_level3);
        _feed.OnNext(_level2);
    }
}
