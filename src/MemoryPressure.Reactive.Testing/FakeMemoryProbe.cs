namespace MemoryPressure.Reactive.Testing;

/// <summary>A probe that returns the sample you set, for a manager polling in virtual time.</summary>
/// <remarks>
/// Give it to <see cref="MemoryPressureOptions.Probe"/> with a virtual-time
/// <see cref="MemoryPressureOptions.Scheduler"/> (such as <see cref="System.Reactive.Concurrency.HistoricalScheduler"/>):
/// the manager reads it at once, then every <see cref="MemoryPressureOptions.CheckInterval"/> of
/// that clock. A sample without a timestamp is stamped with the time of the read, so dwell times and
/// <c>Remaining</c> throttles follow the clock. Safe to set from any thread.
/// </remarks>
public sealed class FakeMemoryProbe : IMemoryProbe
{
    private readonly Func<DateTimeOffset> _now;
    private readonly Lock _gate = new();
    private MemorySample _sample;
    private Exception? _failure;
    private int _reads;

    /// <summary>Initializes a probe that returns <paramref name="sample"/> until another is set.</summary>
    /// <param name="sample">The first sample to return.</param>
    /// <param name="now">The clock that stamps samples without a timestamp: the scheduler's <c>Now</c>; <see langword="null"/> for the wall clock.</param>
    public FakeMemoryProbe(MemorySample sample = default, Func<DateTimeOffset>? now = null)
    {
        _sample = sample;
        _now = now ?? (static () => DateTimeOffset.UtcNow);
    }

    /// <summary>Gets or sets the sample every read returns from now on.</summary>
    public MemorySample Sample
    {
        get
        {
            lock (_gate)
            {
                return _sample;
            }
        }

        set
        {
            lock (_gate)
            {
                _sample = value;
            }
        }
    }

    /// <summary>Gets or sets the exception every read throws from now on, instead of returning a sample; <see langword="null"/> to read again.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }

        set
        {
            lock (_gate)
            {
                _failure = value;
            }
        }
    }

    /// <summary>Gets how many times the probe has been read (failed reads included).</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Returns <see cref="Sample"/>, stamped with the clock's time when it has none, or throws <see cref="Failure"/>.</summary>
    /// <returns>The sample set last.</returns>
    public MemorySample Read()
    {
        Interlocked.Increment(ref _reads);
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            return _sample.Timestamp == default ? _sample with { Timestamp = _now() } : _sample;
        }
    }
}
