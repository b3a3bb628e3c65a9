using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// One level of a <see cref="SeverityLadder"/>: the condition that enters it and, optionally,
/// hysteresis (a separate condition to leave it) and dwell times.
/// </summary>
/// <remarks>
/// <para>
/// Without an <see cref="ExitCondition"/>, the level is in effect while <see cref="Condition"/>
/// holds. With one, the level, once entered, is left only when <see cref="ExitCondition"/> holds:
/// enter at <c>LocalRelative &lt; 10%</c>, leave at <c>!(LocalRelative &lt; 20%)</c>, and a process
/// hovering around 10% headroom does not flap.
/// </para>
/// <para>
/// <see cref="EnterAfter"/> and <see cref="LeaveAfter"/> ask the condition to enter (or to leave)
/// to hold on every sample for that long, measured on <see cref="MemorySample.Timestamp"/>,
/// before the level changes: from the first sample where it holds to a later one where it still does.
/// </para>
/// </remarks>
public sealed class LadderLevel
{
    private readonly TimeSpan _enterAfter;
    private readonly TimeSpan _leaveAfter;
    private readonly double? _repeatAfterGrowthPercent = 25;

    /// <summary>Initializes a level entered when <paramref name="condition"/> holds.</summary>
    /// <param name="condition">The condition that enters the level.</param>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public LadderLevel(MemoryCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Condition = condition;
    }

    /// <summary>Gets the condition that enters the level.</summary>
    public MemoryCondition Condition { get; }

    /// <summary>Gets the condition that leaves the level once entered.</summary>
    /// <value>The default value is <see langword="null"/>: the level is left when <see cref="Condition"/> stops holding.</value>
    public MemoryCondition? ExitCondition { get; init; }

    /// <summary>Gets how long <see cref="Condition"/> must hold before the level is entered.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: at the first sample where it holds.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public TimeSpan EnterAfter
    {
        get => _enterAfter;
        init => _enterAfter = NotNegative(value, nameof(EnterAfter));
    }

    /// <summary>Gets how long the condition to leave must hold before the level is left.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: at the first sample where it holds.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public TimeSpan LeaveAfter
    {
        get => _leaveAfter;
        init => _leaveAfter = NotNegative(value, nameof(LeaveAfter));
    }

    /// <summary>
    /// Gets how far memory must grow back while the level stays the highest in effect before the level acts
    /// again: a percentage of the most room its <see cref="Condition"/> saw since the level last acted.
    /// </summary>
    /// <value>
    /// The default value is 25: a level entered with 40 MiB of room under its limit, whose reaction
    /// freed nothing, acts again when 10 MiB more are in use. <see langword="null"/>: only on entry.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value set is outside (0, 100] or NaN.</exception>
    /// <remarks>
    /// <para>
    /// A level is left only when its condition stops holding. A reaction that frees memory the condition
    /// does not see go (native memory kept by the C library, a heap the GC does not give back) or that
    /// frees too little leaves the level in effect while a cache refills beneath it, and a level entered
    /// once does not act again. Acting again, on a sample that leaves the level where it was, runs the level's
    /// <see cref="MemoryPressureManager.CleanupOnEntered{T}"/> actions, its forced collection and its native
    /// heap trim, and publishes <see cref="MemoryPressureManager.Repeated"/> and a
    /// <see cref="MemoryReactionKind.Repeated"/> reaction; <see cref="MemoryPressureManager.Entered"/> is
    /// not published again.
    /// </para>
    /// <para>
    /// The figure is the condition's own: the room under the process's limit for <c>Local*</c>, under the GC's
    /// cap for <c>Heap*</c>, the machine's available memory for <c>Global*</c>, the tightest of those of a
    /// composite's parts, and the sample's <see cref="MemorySample.BindingLimit"/> for a custom condition or a
    /// negation. So that a level near its limit does not act on every sample, the growth is at least 1% of the limit.
    /// </para>
    /// </remarks>
    public double? RepeatAfterGrowthPercent
    {
        get => _repeatAfterGrowthPercent;
        init => _repeatAfterGrowthPercent = value is { } percent ? Thresholds.Percent(percent, nameof(RepeatAfterGrowthPercent)) : null;
    }

    /// <summary>Gets a name for the level, for logs and displays (for example "trim caches").</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Name { get; init; }

    /// <summary>Describes the level: its name if it has one, and its conditions.</summary>
    /// <returns>For example <c>trim caches: LocalRelative &lt; 10% (leave on !(LocalRelative &lt; 20%))</c>.</returns>
    public override string ToString()
    {
        var text = ExitCondition is null ? Condition.ToString() : $"{Condition} (leave on {ExitCondition})";
        return Name is null ? text! : $"{Name}: {text}";
    }

    private static TimeSpan NotNegative(TimeSpan value, string name) =>
        value < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(name, value, "A dwell time must be zero or more.") : value;
}
