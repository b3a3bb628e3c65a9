namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The names of the meter and instruments the host publishes, in OpenTelemetry's naming style, for
/// exporters and dashboards: <c>.AddMeter(MemoryPressureInstruments.MeterName)</c>.
/// </summary>
/// <remarks>
/// The meter is created through the container's <c>IMeterFactory</c>; without one (a bare service
/// collection without <c>AddMetrics()</c>) nothing is published. Figures are those of the latest
/// sample the manager judged, after <see cref="MemoryPressureHostingOptions.MaximumAvailableBytes"/> applied.
/// </remarks>
public static class MemoryPressureInstruments
{
    /// <summary>The meter's name: <c>MemoryPressure.Reactive</c>.</summary>
    public const string MeterName = "MemoryPressure.Reactive";

    /// <summary>Gauge of the current severity level, 0 when memory is fine (unit <c>{level}</c>).</summary>
    public const string SeverityLevel = "memory_pressure.severity_level";

    /// <summary>Resident bytes of the process in the latest sample (up-down counter, unit <c>By</c>).</summary>
    public const string ProcessMemoryUsage = "memory_pressure.process.memory.usage";

    /// <summary>The most the process may use in the latest sample, 0 when unknown (up-down counter, unit <c>By</c>).</summary>
    public const string ProcessMemoryLimit = "memory_pressure.process.memory.limit";

    /// <summary>Memory available to new work on the machine in the latest sample (up-down counter, unit <c>By</c>).</summary>
    public const string SystemMemoryAvailable = "memory_pressure.system.memory.available";

    /// <summary>
    /// Counter of level steps (unit <c>{transition}</c>), with the attributes <see cref="LevelAttribute"/>
    /// and <see cref="DirectionAttribute"/>: a jump from 0 to 3 counts three steps.
    /// </summary>
    public const string Transitions = "memory_pressure.transitions";

    /// <summary>
    /// Histogram of the time the manager's handlers took for one step (unit <c>s</c>), with the
    /// attributes <see cref="LevelAttribute"/> and <see cref="DirectionAttribute"/>.
    /// </summary>
    /// <remarks>
    /// A step is measured from its <c>Changes</c> event to the next step's, or for the last step of a
    /// sample to the end of that sample's dispatch: it covers the handlers of <c>Changes</c>,
    /// <c>Levels</c>, <c>Entered</c> with the cleanup actions, <c>Left</c> and <c>MemoryNormal</c>,
    /// and for the last step also the <c>Remaining</c> handlers of that sample and the collection of
    /// <see cref="MemoryPressureLevelOptions.ForceGcCollect"/>.
    /// </remarks>
    public const string HandlerDuration = "memory_pressure.handler.duration";

    /// <summary>Counter of failures reported on the manager's <c>Errors</c> (unit <c>{error}</c>), with the attribute <c>error.type</c>.</summary>
    public const string Errors = "memory_pressure.errors";

    /// <summary>The attribute that holds the level a step entered or left (<see cref="LevelChanged.Level"/>).</summary>
    public const string LevelAttribute = "memory_pressure.level";

    /// <summary>The attribute that holds the direction of a step: <c>entered</c> or <c>left</c>.</summary>
    public const string DirectionAttribute = "memory_pressure.direction";
}
