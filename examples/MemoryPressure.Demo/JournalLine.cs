namespace MemoryPressure.Demo;

/// <summary>One line of the demo's log.</summary>
/// <param name="At">When, since the demo started.</param>
/// <param name="Level">The level entered, 0 for a level left, -1 for an error: it picks the colour.</param>
/// <param name="Text">What happened.</param>
internal sealed record JournalLine(TimeSpan At, int Level, string Text);
