using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// One level of the host's ladder: the <see cref="LadderLevel"/> it becomes, and what the host does
/// while it is in effect.
/// </summary>
/// <remarks>
/// In configuration a level is either the condition text alone, <c>"LocalRelative &lt; 10%"</c>, or an
/// object whose keys are the names of these properties, conditions in the text form of
/// <see cref="MemoryCondition.Parse(string)"/>, time spans a number with a unit <c>ms</c>, <c>s</c>,
/// <c>min</c> or <c>h</c> (<c>"30s"</c>) or TimeSpan text (<c>"00:00:30"</c>).
/// </remarks>
public sealed class MemoryPressureLevelOptions
{
    /// <summary>Gets or sets the condition that enters the level.</summary>
    /// <value>The default value is <see langword="null"/>; a condition is required.</value>
    public MemoryCondition? Condition { get; set; }

    /// <summary>Gets or sets the condition that leaves the level once entered (hysteresis).</summary>
    /// <value>The default value is <see langword="null"/>: the level is left when <see cref="Condition"/> stops holding.</value>
    public MemoryCondition? ExitCondition { get; set; }

    /// <summary>Gets or sets how long the condition must hold, in sample time, before the level is entered.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>. It must not be negative.</value>
    public TimeSpan EnterAfter { get; set; }

    /// <summary>Gets or sets how long the condition to leave must hold, in sample time, before the level is left.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>. It must not be negative.</value>
    public TimeSpan LeaveAfter { get; set; }

    /// <summary>Gets or sets a name for the level, for logs and the health check's description.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets the share of the registered <c>IMemoryCache</c> to drop on each entry into the level and each repeat
    /// (<see cref="RepeatAfterGrowthPercent"/>), in percent: <c>25</c> calls <c>MemoryCache.Compact(0.25)</c>, <c>100</c> empties the cache
    /// with <c>MemoryCache.Clear()</c>. In configuration <c>"25%"</c> is accepted too.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the level does not compact. It must be in (0, 100],
    /// and the registered <c>IMemoryCache</c> must be a <c>MemoryCache</c> (<c>services.AddMemoryCache()</c>).
    /// </value>
    /// <remarks>
    /// A partial compaction runs on a thread of the host's own (on <see cref="MemoryPressureOptions.Scheduler"/> of <see cref="MemoryPressureHostingOptions.Manager"/>
    /// when one is set), not on the manager's: <c>Compact</c> takes every lock of the cache while the
    /// service writes to it (measured under load: 1.8 to 22 ms at the median, up to 184 ms), and the
    /// manager takes no sample while a handler runs. Requests that arrive while one waits are merged:
    /// the largest share. Emptying runs at once on the manager's thread, since <c>Clear</c> swaps the
    /// cache's store without taking a lock; it removes entries marked <c>CacheItemPriority.NeverRemove</c> too.
    /// </remarks>
    public double? CompactMemoryCachePercent { get; set; }

    /// <summary>Gets or sets what the memory pressure health check reports while the level is in effect.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <see cref="HealthStatus.Unhealthy"/> for the top
    /// level of the ladder, <see cref="HealthStatus.Degraded"/> for the levels below it.
    /// </value>
    public HealthStatus? HealthStatus { get; set; }

    /// <summary>
    /// Gets or sets whether each entry into the level, and each repeat, runs a full, compacting, memory-returning
    /// collection (<see cref="MemoryPressureManager.InstallForceGcCollect(int)"/>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>
    /// The collection runs once the manager is done with the sample that entered the level: after
    /// every handler and cleanup action (emptying the cache included) has let go of what it could,
    /// and once however many such levels the sample entered. On a level that compacts part of the
    /// cache it runs after that compaction instead, on the compaction's thread.
    /// </remarks>
    public bool ForceGcCollect { get; set; }

    /// <summary>
    /// Gets or sets whether each time the level acts (on entry and on each repeat) the C library's free
    /// native heap is given back to the kernel (<see cref="MemoryPressureManager.InstallTrimNativeHeap(int)"/>,
    /// <c>malloc_trim(0)</c>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>
    /// The trim runs once per sample, after the sample's handlers, cleanup actions and forced collection,
    /// so it returns what they freed. It does something only where the C library is glibc: elsewhere
    /// (musl, as in Alpine images; Windows; macOS) it is a no-op, and <see cref="NativeHeap.Status"/> says
    /// why. The host logs that status once when it starts, if any level trims.
    /// </remarks>
    public bool TrimNativeHeap { get; set; }

    /// <summary>
    /// Gets or sets how far memory must grow back, while the level stays the highest in effect, for the
    /// level to act again (<see cref="LadderLevel.RepeatAfterGrowthPercent"/>): a percentage of the most
    /// room its condition saw under its limit since the level last acted. In configuration <c>"25%"</c> is
    /// accepted too, and <c>"Never"</c> for <see langword="null"/>.
    /// </summary>
    /// <value>
    /// The default value is <c>25</c>. <see langword="null"/>: the level acts only on entering it. It must be
    /// in (0, 100].
    /// </value>
    /// <remarks>
    /// <para>
    /// A level can be held by memory its reactions cannot free: a resident set that stays up after the
    /// heap is emptied, native memory, mapped files. It is not entered again, so without a repeat the
    /// cache would refill to the GC's cap beneath it. Acting again is the manager's
    /// (<see cref="MemoryPressureManager.Repeated(int)"/>): the level's compaction
    /// (<see cref="CompactMemoryCachePercent"/>), collection (<see cref="ForceGcCollect"/>) and native trim
    /// (<see cref="TrimNativeHeap"/>) run again as on entry, and each repeat is logged
    /// (<c>MemoryPressureLevelRepeated</c>) and counted (<see cref="MemoryPressureInstruments.Reactions"/>).
    /// </para>
    /// <para>
    /// The room is the one the condition reads: under the process's limit for <c>Local*</c>, under the GC's
    /// cap for <c>Heap*</c>, the machine's available memory for <c>Global*</c>, the tightest of those of a
    /// combined condition. A level entered with 40 MiB of room acts again once 10 MiB more are in use, and
    /// the growth is at least 1% of the limit. A level below the highest in effect does not repeat: the
    /// level above acts instead.
    /// </para>
    /// </remarks>
    public double? RepeatAfterGrowthPercent { get; set; } = 25;
}
