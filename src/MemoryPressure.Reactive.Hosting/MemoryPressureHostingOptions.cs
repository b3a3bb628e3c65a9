namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// How the host's <see cref="MemoryPressureManager"/> is built: its own options, its ladder, and what
/// the host does on each level.
/// </summary>
/// <remarks>
/// <para>
/// Bound from the configuration section <see cref="SectionName"/> first, then changed by the
/// delegates given to <c>AddMemoryPressure</c>, in registration order; validated when the host
/// starts. Read once, when the manager is built: configuration changes later need a restart.
/// </para>
/// <para>
/// The manager's options are read from the section's own keys, not from a sub-section:
/// <c>MemoryPressure:CheckInterval</c> sets <c>Manager.CheckInterval</c>, <c>MemoryPressure:Triggers:MinimumGap</c>
/// sets <c>Manager.Triggers.MinimumGap</c>. <see cref="MemoryPressureOptions.Probe"/>,
/// <see cref="MemoryPressureOptions.Samples"/>, <see cref="MemoryPressureOptions.Scheduler"/> and
/// <see cref="MemoryPressureTriggers.Custom"/> have no configuration keys: they are set from code, mostly by
/// tests that drive the manager in virtual time.
/// </para>
/// </remarks>
public sealed class MemoryPressureHostingOptions
{
    /// <summary>The configuration section the options are bound from: <c>MemoryPressure</c>.</summary>
    public const string SectionName = "MemoryPressure";

    /// <summary>
    /// Gets the options the host builds its manager with: how it samples memory, its push triggers,
    /// its handler watchdog, and whether it follows limit changes.
    /// </summary>
    /// <value>
    /// The default value is a <see cref="MemoryPressureOptions"/> with its own defaults (a sample every
    /// second, every push source on where the machine allows it).
    /// </value>
    /// <remarks>
    /// <para>
    /// Each setter refuses a bad value at once; the rules between values (<see cref="MemoryPressureOptions.Validate"/>)
    /// are checked with the rest when the host starts, under the configuration key of the option that breaks them.
    /// </para>
    /// <para>
    /// <see cref="MemoryPressureOptions.AutoStart"/> is ignored: the host sets it to <see langword="false"/> and
    /// starts the manager when the host starts. <see cref="MemoryPressureOptions.Scheduler"/>, when set, also runs
    /// the partial cache compactions (<see cref="MemoryPressureLevelOptions.CompactMemoryCachePercent"/> under 100);
    /// left <see langword="null"/>, the compactions get a background thread of their own, started at the first one
    /// and ended by the host.
    /// </para>
    /// </remarks>
    public MemoryPressureOptions Manager { get; } = new();

    /// <summary>Gets the levels of the ladder, mildest first: <c>Levels[0]</c> is level 1.</summary>
    /// <value>
    /// The default value is an empty list. Left empty by configuration and code, it is filled with
    /// the default ladder when the options are built (see <c>AddMemoryPressure</c>).
    /// </value>
    public IList<MemoryPressureLevelOptions> Levels { get; } = [];

    /// <summary>Gets the problems found while reading configuration, by key; reported when the options are validated.</summary>
    internal List<KeyValuePair<string, string>> ConfigurationErrors { get; } = [];
}
