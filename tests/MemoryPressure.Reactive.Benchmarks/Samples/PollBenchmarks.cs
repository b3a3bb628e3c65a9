using System.Reactive.Concurrency;
using BenchmarkDotNet.Attributes;

namespace MemoryPressure.Reactive.Benchmarks.Samples;

/// <summary>
/// One tick of <see cref="MemorySamples.Poll"/> against one tick of a bare periodic timer on the
/// same kind of scheduler: what Poll adds per tick beyond the scheduler's own work.
/// Target: no allocation beyond the baseline's.
/// </summary>
[MemoryDiagnoser]
public class PollBenchmarks
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly HistoricalScheduler _bare = new();
    private readonly HistoricalScheduler _polled = new();
    private IDisposable? _timer;
    private IDisposable? _subscription;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        _timer = _bare.SchedulePeriodic(Interval, () => _sink++);
        _subscription = MemorySamples.Poll(Interval, new ConstantProbe(), _polled).Subscribe(s => _sink += s.ProcessResidentBytes);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _timer?.Dispose();
        _subscription?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BarePeriodicTick() => _bare.AdvanceBy(Interval);

    [Benchmark]
    public void PollTick() => _polled.AdvanceBy(Interval);

    private sealed class ConstantProbe : IMemoryProbe
    {
        public MemorySample Read() => new() { ProcessResidentBytes = 1 };
    }
}
