namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The names of the meter and instruments the host publishes, in OpenTelemetry's naming style, for
/// exporters and dashboards: <c>.AddMeter(MemoryPressureInstruments.MeterName)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The meter is created through the container's <c>IMeterFactory</c>; without one (a bare service
/// collection without <c>AddMetrics()</c>) nothing is published. Figures are those of the latest
/// sample the manager judged, after <see cref="MemoryPressureOptions.MaximumAvailableBytes"/> applied,
/// so the figures of one collection all come from one sample, the one that decided the level. Byte
/// figures are observable up-down counters in bytes (UCUM <c>By</c>), as OpenTelemetry's memory
/// metrics are; an exporter to Prometheus shows them as gauges.
/// </para>
/// <para>
/// The names follow the OpenTelemetry semantic conventions for the same quantity, under the
/// <c>memory_pressure.</c> namespace, since the figure is the library's reading rather than the
/// collector's or the runtime's:
/// </para>
/// <list type="table">
/// <listheader><term>instrument</term><description>sample figure; semantic convention; the runtime's <c>System.Runtime</c> meter</description></listheader>
/// <item><term><see cref="ProcessMemoryUsage"/></term><description><see cref="MemorySample.ProcessResidentBytes"/>; <c>process.memory.usage</c>; the same quantity as <c>dotnet.process.memory.working_set</c>, read at the sample</description></item>
/// <item><term><see cref="ProcessMemoryLimit"/></term><description><see cref="MemorySample.ProcessLimitBytes"/>; none (<c>k8s.container.memory.limit</c> when the limit is the container's); none</description></item>
/// <item><term><see cref="SystemMemoryAvailable"/></term><description><see cref="MemorySample.SystemAvailableBytes"/>; <c>system.linux.memory.available</c> on Linux; none</description></item>
/// <item><term><see cref="SystemMemoryLimit"/></term><description><see cref="MemorySample.SystemTotalBytes"/>; <c>system.memory.limit</c>; none</description></item>
/// <item><term><see cref="CgroupMemoryUsage"/></term><description><see cref="MemorySample.CgroupUsageBytes"/>; <c>container.memory.usage</c>; none</description></item>
/// <item><term><see cref="CgroupMemoryWorkingSet"/></term><description><see cref="MemorySample.CgroupWorkingSetBytes"/>; <c>container.memory.working_set</c>; none</description></item>
/// <item><term><see cref="CgroupMemoryLimit"/></term><description><see cref="MemorySample.CgroupLimitBytes"/>; <c>k8s.container.memory.limit</c>, here the tightest of the ancestors too; none</description></item>
/// <item><term><see cref="CgroupMemoryHigh"/></term><description><see cref="MemorySample.CgroupHighBytes"/>; none (cgroup v2's <c>memory.high</c>, where the kernel throttles); none</description></item>
/// <item><term><see cref="GcHeapUsage"/></term><description><see cref="MemorySample.ManagedHeapBytes"/>; none; none (<c>dotnet.gc.last_collection.heap.size</c> is the heap after the last collection)</description></item>
/// <item><term><see cref="GcHeapLimit"/></term><description><see cref="MemorySample.GcHeapHardLimitBytes"/>; none; none</description></item>
/// <item><term><see cref="Headroom"/></term><description><see cref="MemoryHeadroom.HeadroomBytes"/> of <see cref="MemorySample.BindingLimit"/>; none; none</description></item>
/// </list>
/// <para>
/// What the runtime already publishes is not repeated: <c>dotnet.gc.heap.total_allocated</c>,
/// <c>dotnet.gc.last_collection.heap.size</c>, <c>dotnet.gc.last_collection.memory.committed_size</c> and the
/// other <c>dotnet.*</c> figures are the runtime's, collected with <c>.AddMeter("System.Runtime")</c> (or
/// OpenTelemetry's runtime instrumentation) beside this meter. The one overlap is
/// <see cref="ProcessMemoryUsage"/>, the same quantity as <c>dotnet.process.memory.working_set</c>: it is
/// kept because the <c>Local*</c> conditions judge it against <see cref="ProcessMemoryLimit"/>, and both
/// come from one sample, where the runtime's reading is taken at a different moment.
/// </para>
/// </remarks>
public static class MemoryPressureInstruments
{
    /// <summary>The meter's name: <c>MemoryPressure.Reactive</c>.</summary>
    public const string MeterName = "MemoryPressure.Reactive";

    /// <summary>Gauge of the current severity level, 0 when memory is fine (unit <c>{level}</c>).</summary>
    public const string SeverityLevel = "memory_pressure.severity_level";

    /// <summary>
    /// Resident bytes of the process, <see cref="MemorySample.ProcessResidentBytes"/> (up-down counter, unit <c>By</c>):
    /// OpenTelemetry's <c>process.memory.usage</c>, and the quantity the runtime publishes as
    /// <c>dotnet.process.memory.working_set</c>, here read with the limit it is judged against.
    /// </summary>
    public const string ProcessMemoryUsage = "memory_pressure.process.memory.usage";

    /// <summary>
    /// The most the process may use, <see cref="MemorySample.ProcessLimitBytes"/>, 0 when unknown (up-down
    /// counter, unit <c>By</c>): the limit of the <c>Local*</c> conditions, whichever it is (explicit, cgroup,
    /// GC heap hard limit or physical memory). Neither OpenTelemetry nor the runtime has it.
    /// </summary>
    public const string ProcessMemoryLimit = "memory_pressure.process.memory.limit";

    /// <summary>
    /// Memory available to new work on the machine, <see cref="MemorySample.SystemAvailableBytes"/> (up-down
    /// counter, unit <c>By</c>): on Linux <c>MemAvailable</c>, OpenTelemetry's <c>system.linux.memory.available</c>.
    /// </summary>
    public const string SystemMemoryAvailable = "memory_pressure.system.memory.available";

    /// <summary>
    /// Physical memory of the machine, <see cref="MemorySample.SystemTotalBytes"/> (up-down counter, unit
    /// <c>By</c>): OpenTelemetry's <c>system.memory.limit</c>, the whole of <see cref="SystemMemoryAvailable"/>;
    /// no measurement when the probe does not know it.
    /// </summary>
    public const string SystemMemoryLimit = "memory_pressure.system.memory.limit";

    /// <summary>
    /// Memory charged to the process's cgroup, page cache included, <see cref="MemorySample.CgroupUsageBytes"/>
    /// (up-down counter, unit <c>By</c>): in a container, OpenTelemetry's <c>container.memory.usage</c>
    /// (cAdvisor's <c>container_memory_usage_bytes</c>); no measurement outside a memory cgroup.
    /// </summary>
    public const string CgroupMemoryUsage = "memory_pressure.cgroup.memory.usage";

    /// <summary>
    /// The cgroup's usage less its inactive file cache, <see cref="MemorySample.CgroupWorkingSetBytes"/>
    /// (up-down counter, unit <c>By</c>): in a container, OpenTelemetry's <c>container.memory.working_set</c>
    /// (cAdvisor's <c>container_memory_working_set_bytes</c>, what the kubelet evicts on); no measurement
    /// outside a memory cgroup.
    /// </summary>
    public const string CgroupMemoryWorkingSet = "memory_pressure.cgroup.memory.working_set";

    /// <summary>
    /// The tightest memory limit of the process's cgroup and its ancestors, <see cref="MemorySample.CgroupLimitBytes"/>
    /// (up-down counter, unit <c>By</c>): in Kubernetes, <c>k8s.container.memory.limit</c> when the container's
    /// own limit is the tightest (a pod's or a slice's limit may be tighter); no measurement without a limit.
    /// </summary>
    public const string CgroupMemoryLimit = "memory_pressure.cgroup.memory.limit";

    /// <summary>
    /// The tightest <c>memory.high</c> of the process's cgroup and its ancestors, <see cref="MemorySample.CgroupHighBytes"/>
    /// (up-down counter, unit <c>By</c>): above it the kernel throttles the process and reclaims its memory, and
    /// where it is below the hard limit it is the process's limit (<see cref="MemoryLimitSource.CgroupHigh"/>).
    /// Neither OpenTelemetry nor the runtime has it; no measurement without one (cgroup v1, or <c>max</c>).
    /// </summary>
    public const string CgroupMemoryHigh = "memory_pressure.cgroup.memory.high";

    /// <summary>
    /// Bytes in use on the managed heap, <see cref="MemorySample.ManagedHeapBytes"/> (<c>GC.GetTotalMemory(false)</c>:
    /// live objects and the garbage not yet collected; up-down counter, unit <c>By</c>): the figure the
    /// <c>Heap*</c> conditions judge against <see cref="GcHeapLimit"/>. The runtime publishes no such figure:
    /// its <c>dotnet.gc.last_collection.heap.size</c> is the heap after the last collection, by generation.
    /// </summary>
    public const string GcHeapUsage = "memory_pressure.gc.heap.usage";

    /// <summary>
    /// The GC heap hard limit, <see cref="MemorySample.GcHeapHardLimitBytes"/> (75% of a container's limit by
    /// default; up-down counter, unit <c>By</c>), where a managed ramp fails with <c>OutOfMemoryException</c>.
    /// Neither OpenTelemetry nor the runtime's meter has it; no measurement when the GC has no hard limit.
    /// </summary>
    public const string GcHeapLimit = "memory_pressure.gc.heap.limit";

    /// <summary>
    /// The room left under the limit the process would reach first, the <see cref="MemoryHeadroom.HeadroomBytes"/>
    /// of <see cref="MemorySample.BindingLimit"/> (up-down counter, unit <c>By</c>), negative when over it: the
    /// least of the cgroup's, the GC's and an explicit limit's headroom, or the machine's available memory
    /// when there is none. The log line of each level entered names which limit it is. No semantic
    /// convention or runtime figure has it; no measurement when the sample knows no limit at all.
    /// </summary>
    public const string Headroom = "memory_pressure.headroom";

    /// <summary>
    /// Counter of level steps (unit <c>{transition}</c>), with the attributes <see cref="LevelAttribute"/>
    /// and <see cref="DirectionAttribute"/>: a jump from 0 to 3 counts three steps.
    /// </summary>
    public const string Transitions = "memory_pressure.transitions";

    /// <summary>
    /// Counter of the reactions of levels (unit <c>{reaction}</c>), with the attributes <see cref="LevelAttribute"/>
    /// and <see cref="ReactionKindAttribute"/>: each entry into a level, and each time a level held in effect acts
    /// again (<see cref="MemoryPressureLevelOptions.RepeatAfterGrowthPercent"/>).
    /// </summary>
    /// <remarks>
    /// Counted from the manager's <see cref="MemoryPressureManager.Reactions"/>, so when the sample after the
    /// reaction is judged; a reaction with no sample after it (the host stopped) is not counted. Compared with
    /// the entries of <see cref="Transitions"/>, the repeats tell a level that is held by memory its reaction
    /// cannot free.
    /// </remarks>
    public const string Reactions = "memory_pressure.reactions";

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

    /// <summary>The attribute that holds why a level reacted (<see cref="Reactions"/>): <c>entered</c> or <c>repeated</c>.</summary>
    public const string ReactionKindAttribute = "memory_pressure.reaction.kind";
}
