namespace MemoryPressure.Reactive;

/// <summary>One step of the severity level: from one level to the next above or below.</summary>
/// <param name="From">The level before the step.</param>
/// <param name="To">The level after the step; always <paramref name="From"/> ± 1.</param>
/// <param name="Sample">The sample that caused the step.</param>
public readonly record struct LevelChanged(int From, int To, MemorySample Sample)
{
    /// <summary>Gets whether the step goes up, into a more severe level.</summary>
    public bool IsEntering => To > From;

    /// <summary>Gets the level entered or left: the higher of <see cref="From"/> and <see cref="To"/>.</summary>
    public int Level => Math.Max(From, To);
}
