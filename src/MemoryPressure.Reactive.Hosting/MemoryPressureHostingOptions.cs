using System.Reactive.Concurrency;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// How the host's <see cref="MemoryPressureManager"/> is built: its ladder, how it samples memory,
/// and what the host does on each level.
/// </summary>
/// <remarks>
/// <para>
/// Bound from the configuration section <see cref="SectionName"/> first, then changed by the
/// delegates given to <c>AddMemoryPressure</c>, in registration order; validated when the host
/// starts. Read once, when the manager is built: configuration changes later need a restart.
/// </para>
/// <para>
/// <see cref="Probe"/>, <see cref="Samples"/>, <see cref="Scheduler"/> and <see cref="MemoryPressureTriggers.Custom"/> have no configuration
/// keys: they are set from code, mostly by tests that drive the manager in virtual time.
/// </para>
/// </remarks>
public sealed class MemoryPressureHostingOptions
{
    /// <summary>The configuration section the options are bound from: <c>MemoryPressure</c>.</summary>
    public const string SectionName = "MemoryPressure";

    private MemoryPressureTriggers _triggers = new();

    /// <summary>
    /// Gets or sets the time between two samples when the manager polls its probe. In configuration a
    /// number with a unit <c>ms</c>, <c>s</c>, <c>min</c> or <c>h</c> (<c>"250ms"</c>), or TimeSpan text (<c>"00:00:00.250"</c>).
    /// </summary>
    /// <value>The default value is 1 second. It must be positive and at most a day.</value>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the shortest time between two polls while memory closes on a level
    /// (<see cref="MemoryPressureOptions.SamplingFloor"/>). In configuration a time span as for <see cref="CheckInterval"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: 5 ms, or <see cref="CheckInterval"/> when that is shorter. It must be positive and at most <see cref="CheckInterval"/>.</value>
    public TimeSpan? SamplingFloor { get; set; }

    /// <summary>
    /// Gets or sets how far ahead a predicted crossing of a level makes polling close in on it
    /// (<see cref="MemoryPressureOptions.SamplingHorizon"/>). In configuration a time span as for <see cref="CheckInterval"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="CheckInterval"/>. It must be positive and at most <see cref="CheckInterval"/>.</value>
    public TimeSpan? SamplingHorizon { get; set; }

    /// <summary>
    /// Gets or sets the most this process may use, in bytes: when set, it replaces the
    /// <see cref="MemorySample.ProcessLimitBytes"/> of every sample. In configuration it may carry a
    /// unit B, KB, MB, GB, KiB, MiB or GiB (1024^n), a space allowed before it: <c>"512MiB"</c>,
    /// <c>"512 MB"</c>, <c>"1.5GiB"</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the probe's own limit (cgroup, GC heap hard limit, physical memory).</value>
    public long? MaximumAvailableBytes { get; set; }

    /// <summary>
    /// Gets or sets how long a handler, cleanup action or forced collection may run before it is
    /// reported (<see cref="MemoryPressureOptions.HandlerTimeout"/>), and so logged and counted. In
    /// configuration a time span as for <see cref="CheckInterval"/>, or <c>"Infinite"</c>.
    /// </summary>
    /// <value>The default value is 1 second; <see cref="Timeout.InfiniteTimeSpan"/> turns the watchdog off. It must be positive and at most a day otherwise.</value>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether a memory limit changed while the process runs is followed: the GC is told
    /// (<see cref="MemoryPressureOptions.FollowLimitChanges"/>), so its cap moves with a resized container.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// Each change is logged (<c>MemoryPressureLimitChanged</c>) with what was done, followed or not; the
    /// limit instruments show the new figures from the first sample that read them.
    /// </remarks>
    public bool FollowLimitChanges { get; set; } = true;

    /// <summary>Gets the levels of the ladder, mildest first: <c>Levels[0]</c> is level 1.</summary>
    /// <value>
    /// The default value is an empty list. Left empty by configuration and code, it is filled with
    /// the default ladder when the options are built (see <c>AddMemoryPressure</c>).
    /// </value>
    public IList<MemoryPressureLevelOptions> Levels { get; } = [];

    /// <summary>Gets or sets the push triggers: the sources that make the manager sample at once, between polls.</summary>
    /// <value>The default value is a <see cref="MemoryPressureTriggers"/> with its defaults: every source on where the machine allows it.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    /// <remarks>With a virtual-time <see cref="Scheduler"/>, only <see cref="MemoryPressureTriggers.Custom"/> applies.</remarks>
    public MemoryPressureTriggers Triggers
    {
        get => _triggers;
        set => _triggers = value ?? throw new ArgumentNullException(nameof(Triggers));
    }

    /// <summary>Gets or sets the probe the manager polls.</summary>
    /// <value>The default value is <see langword="null"/>, for <see cref="MemoryProbe.Default"/>.</value>
    public IMemoryProbe? Probe { get; set; }

    /// <summary>Gets or sets a source of samples that replaces polling entirely (tests, custom sources).</summary>
    /// <value>The default value is <see langword="null"/>: the manager polls <see cref="Probe"/> every <see cref="CheckInterval"/>.</value>
    /// <remarks>The host subscribes to it when it starts, not before.</remarks>
    public IObservable<MemorySample>? Samples { get; set; }

    /// <summary>
    /// Gets or sets the scheduler that times polling, stamps polled samples and runs the partial
    /// cache compactions (<see cref="MemoryPressureLevelOptions.CompactMemoryCachePercent"/> under 100).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: a dedicated background thread for polling and
    /// another for the compactions, started at the first one; both owned and ended by the host.
    /// </value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>Gets the problems found while reading configuration, by key; reported when the options are validated.</summary>
    internal List<KeyValuePair<string, string>> ConfigurationErrors { get; } = [];
}
