namespace MemoryPressure.Reactive;

/// <summary>Says why a level reacted: a <see cref="MemoryReaction"/> follows each entry into a level and each time it acts again.</summary>
public enum MemoryReactionKind
{
    /// <summary>The level was entered (<see cref="MemoryPressureManager.Entered"/>).</summary>
    Entered = 0,

    /// <summary>
    /// The level stayed in effect while memory grew back, and acted again
    /// (<see cref="MemoryPressureManager.Repeated"/>, <see cref="LadderLevel.RepeatAfterGrowthPercent"/>).
    /// </summary>
    Repeated,
}
