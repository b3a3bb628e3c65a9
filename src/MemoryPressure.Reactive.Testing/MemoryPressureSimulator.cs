using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;

namespace MemoryPressure.Reactive.Testing;

/// <summary>
/// A <see cref="MemoryPressureManager"/> fed by hand in virtual time: register the handlers under
/// test on <see cref="Manager"/>, push samples or drive it to a level, move the clock.
/// </summary>
/// <remarks>
/// <para>
/// The clock is System.Reactive's own <see cref="HistoricalScheduler"/>, so no other package is
/// needed. Samples pushed are evaluated at once, on the calling thread, at the clock's time: a
/// sample without a timestamp is stamped with <see cref="Now"/>.
/// </para>
/// <para>
/// <see cref="DriveTo"/> finds a sample that puts the ladder at a level on a pressure scale: from
/// <see cref="Baseline"/>'s limits, with no memory in use, to every limit reached (the resident set
/// and the heap rising to their limits, the system's available memory falling to nothing,
/// together). A ladder of built-in conditions is driven to any of its levels; a
/// <see cref="CustomCondition"/> that reads no figure of the sample cannot be driven.
/// </para>
/// </remarks>
public sealed class MemoryPressureSimulator : IDisposable
{
    private const int ScaleSteps = 1000;

    private readonly Subject<MemorySample> _samples = new();
    private MemorySample _baseline = TestSamples.Process(0, MemoryUnits.GB).WithHeap(0, 768 * MemoryUnits.MB).WithSystem(4 * MemoryUnits.GB, 4 * MemoryUnits.GB);

    /// <summary>Initializes a simulator and its manager, started, at level 0.</summary>
    /// <param name="ladder">The levels of pressure.</param>
    /// <param name="configure">Sets other options of the manager (a handler timeout, a budget); the simulator supplies the samples and the clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ladder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configure"/> sets a probe, samples or a scheduler of its own.</exception>
    public MemoryPressureSimulator(SeverityLadder ladder, Action<MemoryPressureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        Clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var options = new MemoryPressureOptions { Samples = _samples, Scheduler = Clock };
        configure?.Invoke(options);
        if (!ReferenceEquals(options.Samples, _samples) || !ReferenceEquals(options.Scheduler, Clock) || options.Probe is not null)
        {
            throw new ArgumentException("The simulator supplies the samples and the clock: leave Probe, Samples and Scheduler unset.", nameof(configure));
        }

        Manager = new MemoryPressureManager(ladder, options);
    }

    /// <summary>Gets the manager under test.</summary>
    public MemoryPressureManager Manager { get; }

    /// <summary>Gets the virtual clock: the manager's scheduler, and the time samples are stamped with.</summary>
    public HistoricalScheduler Clock { get; }

    /// <summary>Gets the clock's time.</summary>
    public DateTimeOffset Now => Clock.Now;

    /// <summary>Gets or sets the limits of the pressure scale <see cref="DriveTo"/> searches: its process, heap and system limits.</summary>
    /// <value>The default value is a 1 GiB cgroup limit, a 768 MiB GC heap limit and 4 GiB of system memory.</value>
    /// <exception cref="ArgumentException">The value has no process limit.</exception>
    public MemorySample Baseline
    {
        get => _baseline;
        set
        {
            if (value.ProcessLimitBytes <= 0)
            {
                throw new ArgumentException("The baseline needs a process limit (ProcessLimitBytes > 0).", nameof(value));
            }

            _baseline = value;
        }
    }

    /// <summary>Evaluates <paramref name="sample"/> now, as if the probe had just read it; stamped with <see cref="Now"/> when it has no timestamp.</summary>
    /// <param name="sample">The figures.</param>
    /// <exception cref="ObjectDisposedException">The simulator has been disposed.</exception>
    public void Push(MemorySample sample)
    {
        ObjectDisposedException.ThrowIf(_samples.IsDisposed, this);
        _samples.OnNext(sample.Timestamp == default ? sample with { Timestamp = Now } : sample);
    }

    /// <summary>Moves the clock forward, running what the manager scheduled meanwhile.</summary>
    /// <param name="time">How far.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is negative.</exception>
    public void AdvanceBy(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.Zero);
        Clock.AdvanceBy(time);
    }

    /// <summary>
    /// Pushes the samples that bring the manager to <paramref name="level"/>, each step raising its events,
    /// and returns the last one.
    /// </summary>
    /// <param name="level">The level to reach, 0 to <see cref="SeverityLadder.Count"/>.</param>
    /// <returns>The sample that holds the manager at the level.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside the ladder.</exception>
    /// <exception cref="InvalidOperationException">No sample on the pressure scale reaches the level.</exception>
    /// <remarks>
    /// The sample is the least pressure on the scale at which the level's condition holds and no
    /// higher level's does. A level with <see cref="LadderLevel.EnterAfter"/> or
    /// <see cref="LadderLevel.LeaveAfter"/> is waited for: the clock moves on by the dwell time and the
    /// sample is pushed again. Where an exit condition keeps a higher level in effect, the manager is
    /// first brought back to 0 (its levels left in order) and then up to the level.
    /// </remarks>
    public MemorySample DriveTo(int level)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, Manager.Ladder.Count);
        var sample = SampleAt(level) ?? throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"No sample between no memory in use and every limit of {Baseline} reached puts the ladder at level {level}: {Manager.Ladder}"));
        if (Reach(sample, level) || (Manager.SeverityLevel > level && Reach(SampleAt(0) ?? Scaled(0), 0) && Reach(sample, level)))
        {
            return sample with { Timestamp = Now };
        }

        throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"The manager stays at level {Manager.SeverityLevel} on {sample}, which puts the ladder at level {level}: an exit condition or a dwell time holds it."));
    }

    /// <summary>Disposes the manager and completes the samples.</summary>
    public void Dispose()
    {
        Manager.Dispose();
        _samples.Dispose();
    }

    private bool Reach(MemorySample sample, int level)
    {
        Push(sample with { Timestamp = default });
        if (Manager.SeverityLevel != level && LongestDwell() is var dwell && dwell > TimeSpan.Zero)
        {
            AdvanceBy(dwell);
            Push(sample with { Timestamp = default });
        }

        return Manager.SeverityLevel == level;
    }

    private TimeSpan LongestDwell() =>
        Manager.Ladder.Levels.Aggregate(TimeSpan.Zero, (longest, l) => TimeSpan.FromTicks(Math.Max(longest.Ticks, Math.Max(l.EnterAfter.Ticks, l.LeaveAfter.Ticks))));

    private MemorySample? SampleAt(int level)
    {
        for (var step = 0; step <= ScaleSteps; step++)
        {
            var sample = Scaled(step);
            if (LevelOf(sample) == level)
            {
                return sample;
            }
        }

        return null;
    }

    private MemorySample Scaled(int step)
    {
        long Part(long bytes) => (long)(bytes * (double)step / ScaleSteps);
        var resident = Part(Baseline.ProcessLimitBytes);
        return Baseline with
        {
            Timestamp = default,
            ProcessResidentBytes = resident,
            CgroupUsageBytes = Baseline.CgroupLimitBytes > 0 ? resident : Baseline.CgroupUsageBytes,
            CgroupWorkingSetBytes = Baseline.CgroupLimitBytes > 0 ? resident : Baseline.CgroupWorkingSetBytes,
            ManagedHeapBytes = Part(Baseline.GcHeapHardLimitBytes),
            SystemAvailableBytes = Baseline.SystemTotalBytes - Part(Baseline.SystemTotalBytes),
        };
    }

    // The ladder's rule, without dwell or exit conditions: the highest level whose condition holds.
    private int LevelOf(MemorySample sample)
    {
        for (var level = Manager.Ladder.Count; level >= 1; level--)
        {
            if (Manager.Ladder.GetLevel(level).Condition.CanFire(sample))
            {
                return level;
            }
        }

        return 0;
    }
}
