using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Limits;
using MemoryPressure.Reactive.Probes;

namespace MemoryPressure.Reactive;

/// <summary>How a <see cref="MemoryPressureManager"/> gets its samples and keeps time.</summary>
/// <remarks>
/// Mutable so that configuration binding can fill it: each setter checks its value alone, and
/// <see cref="Validate"/> the rules between values, which the manager's constructor applies.
/// </remarks>
public sealed class MemoryPressureOptions
{
    private TimeSpan _checkInterval = TimeSpan.FromSeconds(1);
    private long? _maximumAvailableBytes;
    private MemoryPressureTriggers _triggers = new();
    private TimeSpan _handlerTimeout = TimeSpan.FromSeconds(1);
    private TimeSpan? _samplingFloor;
    private TimeSpan? _samplingHorizon;

    /// <summary>Gets or sets the time between two samples when the manager polls its probe.</summary>
    /// <value>The default value is 1 second.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is zero, negative, or over a day.</exception>
    public TimeSpan CheckInterval
    {
        get => _checkInterval;
        set => _checkInterval = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(CheckInterval), value, "The check interval must be positive and at most a day.");
    }

    /// <summary>
    /// Gets or sets the shortest time between two polls while memory closes on a level: the sampling
    /// pace follows the danger down to it.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: 5 ms, or <see cref="CheckInterval"/> when that is
    /// shorter. Setting it to <see cref="CheckInterval"/> turns the pace off: polls come every interval.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The value set is zero or negative; <see cref="Validate"/> refuses one longer than <see cref="CheckInterval"/>.
    /// </exception>
    /// <remarks>
    /// After each sample, the manager predicts when a level above the current one would be entered,
    /// from the slope since the previous sample of each figure the ladder's conditions read (the
    /// headroom under the process's limit, under the GC's heap limit, the system's available memory;
    /// a negation or a custom condition predicts nothing). With no prediction, or one beyond
    /// <see cref="CheckInterval"/> plus <see cref="SamplingHorizon"/>, the next poll comes after
    /// <see cref="CheckInterval"/>; beyond the horizon, when the crossing would enter it; within it,
    /// after half the time left, never sooner than the floor. Flat or falling memory is polled every
    /// interval, however close to a level it sits, with two exceptions, within ten check intervals: after
    /// the ladder steps down (its handlers freed memory, which may climb straight back), and after a climb
    /// towards a level when a sample shows no change at all from the one before (a figure read in steps),
    /// a sample whose own slope predicts nothing is judged at the slope of the last climb.
    /// </remarks>
    public TimeSpan? SamplingFloor
    {
        get => _samplingFloor;
        set => _samplingFloor = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SamplingFloor), value, "The sampling floor must be positive.");
    }

    /// <summary>
    /// Gets or sets how far ahead a predicted crossing of a level makes polling close in on it (see
    /// <see cref="SamplingFloor"/> for the rule).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="CheckInterval"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The value set is zero or negative; <see cref="Validate"/> refuses one longer than <see cref="CheckInterval"/>.
    /// </exception>
    public TimeSpan? SamplingHorizon
    {
        get => _samplingHorizon;
        set => _samplingHorizon = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SamplingHorizon), value, "The sampling horizon must be positive.");
    }

    /// <summary>
    /// Gets or sets the most this process may use, in bytes: when set, it replaces the
    /// <see cref="MemorySample.ProcessLimitBytes"/> of every sample (the seed's <c>maximum_available</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the probe's own limit is used.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is zero or negative.</exception>
    public long? MaximumAvailableBytes
    {
        get => _maximumAvailableBytes;
        set => _maximumAvailableBytes = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaximumAvailableBytes), value, "The maximum available bytes must be positive.");
    }

    /// <summary>Gets or sets the probe the manager polls.</summary>
    /// <value>The default value is <see langword="null"/>, for <see cref="MemoryProbe.Default"/>.</value>
    public IMemoryProbe? Probe { get; set; }

    /// <summary>
    /// Gets or sets a source of samples that replaces polling entirely (tests, custom sources).
    /// Its samples are judged on the thread that delivers them, serialized, and not re-scheduled.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the manager polls <see cref="Probe"/> every <see cref="CheckInterval"/>.</value>
    public IObservable<MemorySample>? Samples { get; set; }

    /// <summary>Gets or sets the scheduler that times polling.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: the manager polls on a dedicated background
    /// thread of its own, so a starved thread pool under pressure does not delay it. On Linux that
    /// thread asks for a nice value of -10 where the kernel allows it (root, or <c>CAP_SYS_NICE</c>),
    /// so that under load it waits less for a core; elsewhere, or refused, it keeps the default.
    /// Handlers run on it at that priority.
    /// </value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>Gets or sets the push triggers: signals from the runtime and the kernel that make the manager sample at once.</summary>
    /// <value>The default value is a <see cref="MemoryPressureTriggers"/> with every source on where the machine provides it.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    public MemoryPressureTriggers Triggers
    {
        get => _triggers;
        set => _triggers = value ?? throw new ArgumentNullException(nameof(Triggers));
    }

    /// <summary>
    /// Gets or sets how long a handler, cleanup action or forced collection may run before it is
    /// reported on <see cref="MemoryPressureManager.Errors"/> as a <see cref="HandlerTimeoutException"/>.
    /// </summary>
    /// <value>The default value is 1 second; <see cref="Timeout.InfiniteTimeSpan"/> turns the watchdog off.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is zero, negative (other than infinite), or over a day.</exception>
    /// <remarks>
    /// The report comes once per call, while it still runs, never before one timeout has passed and
    /// usually before two (a timer checks once per timeout, on one background thread that every manager
    /// of the process shares rather than on the thread pool; a report found due is published from the
    /// pool, so no error handler runs on that thread, and a starved pool makes the report later). The
    /// timer rests once a whole timeout has passed with no handler called, and the next call starts it
    /// again: a manager at rest with no handler of every sample costs the watchdog no wake-up.
    /// A blocked handler delays every later event and sample of its manager (polling ticks and push signals meanwhile wait for it), and a
    /// <c>Dispose</c>, subscription or disposal of a subscription on another thread; it does not delay
    /// this report, other managers, or the trigger sources, which keep listening. A blocked handler of
    /// <see cref="MemoryPressureManager.Errors"/> itself cannot be reported: the report would wait for it.
    /// </remarks>
    public TimeSpan HandlerTimeout
    {
        get => _handlerTimeout;
        set => _handlerTimeout = value == Timeout.InfiniteTimeSpan || (value > TimeSpan.Zero && value <= TimeSpan.FromDays(1))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HandlerTimeout), value, "The handler timeout must be positive and at most a day, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>Gets or sets whether the manager starts watching memory in its constructor.</summary>
    /// <value>
    /// The default value is <see langword="true"/>. With <see langword="false"/> nothing is read, and no
    /// thread, timer or trigger exists, until <see cref="MemoryPressureManager.Start"/> (a host starts it
    /// when the application starts; a component after wiring its handlers).
    /// </value>
    public bool AutoStart { get; set; } = true;

    /// <summary>Gets or sets whether a memory limit changed while the process runs is followed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// <para>
    /// The .NET GC reads its limit once: in a container whose limit is raised it keeps failing with
    /// <see cref="OutOfMemoryException"/> at the old cap, and when the limit is lowered it lets the heap grow
    /// to the old cap, past the kernel's new limit. Every sample shows the limits the probe read
    /// (<see cref="MemorySample.CgroupLimitBytes"/>, <see cref="MemorySample.CgroupHighBytes"/>,
    /// <see cref="MemorySample.GcHeapHardLimitBytes"/>); the manager compares each with the sample before and
    /// publishes each change on <see cref="MemoryPressureManager.LimitChanges"/>, with what it did:
    /// </para>
    /// <list type="bullet">
    /// <item><description>
    /// a raised cgroup limit: <see cref="GC.RefreshMemoryLimit"/> at once, then the sample is judged with the
    /// GC's new cap, so the heap may use the new room;
    /// </description></item>
    /// <item><description>
    /// a lowered one: the sample is judged first against the new limit (levels entered, their handlers,
    /// cleanup actions and forced collections run), then the GC is told. The runtime refuses a cap below
    /// what it has committed (<see cref="InvalidOperationException"/>): the manager then collects fully
    /// and tries once more, and after that at later samples, 1, 2, 4, 8 and 16 check intervals apart;
    /// the last refusal is reported on <see cref="MemoryPressureManager.Errors"/>.
    /// </description></item>
    /// </list>
    /// <para>
    /// The GC read its limit when the process started, and the limit may have moved before the manager
    /// started: at its first sample with a cgroup limit the manager has the GC read it again, and publishes
    /// a cap that moved as a <see cref="MemoryLimitSource.GcHeapHardLimit"/> change (a refusal is retried as above).
    /// A manager fed its samples (<see cref="Samples"/>) does not: they may describe another process, or none.
    /// </para>
    /// <para>
    /// The push sources follow by themselves: cgroup v1's usage thresholds are placed on each sample's
    /// limit. A refresh re-reads the GC's configuration: a cap the application set in bytes
    /// (<c>DOTNET_GCHeapHardLimit</c>, <c>System.GC.HeapHardLimit</c>) stays as it was, one set as a
    /// percentage (<c>GCHeapHardLimitPercent</c>) becomes that share of the new limit.
    /// <see cref="MaximumAvailableBytes"/> stays the limit of every sample whatever the cgroup says; the GC
    /// is told all the same. With <see langword="false"/> the changes are still published, as
    /// <see cref="MemoryLimitResponse.NotFollowed"/>, and the GC keeps its cap until the application calls
    /// <see cref="GC.RefreshMemoryLimit"/> itself.
    /// </para>
    /// </remarks>
    public bool FollowLimitChanges { get; set; } = true;

    /// <summary>
    /// Checks the rules between options that no setter can check alone, as the manager's constructor
    /// does: <see cref="SamplingFloor"/> and <see cref="SamplingHorizon"/> are at most <see cref="CheckInterval"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A rule is broken; <see cref="ArgumentException.ParamName"/> is the option that breaks it
    /// (<c>SamplingFloor</c>, then <c>SamplingHorizon</c>) and <see cref="ArgumentOutOfRangeException.ActualValue"/> its value.
    /// </exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "The exception names the option that breaks the rule, SamplingFloor or SamplingHorizon, as its setter does; this method has no parameter.")]
    public void Validate()
    {
        if (_samplingFloor > _checkInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(SamplingFloor), _samplingFloor, $"The sampling floor must be at most the check interval ({_checkInterval}).");
        }

        if (_samplingHorizon > _checkInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(SamplingHorizon), _samplingHorizon, $"The sampling horizon must be at most the check interval ({_checkInterval}).");
        }
    }

    /// <summary>Gets or sets the GC limit the manager follows; tests give a stand-in that refuses.</summary>
    internal IGcHeapLimit GcHeapLimit { get; set; } = RuntimeGcHeapLimit.Instance;
}
