namespace MemoryPressure.Reactive;

/// <summary>Turns a move between two levels into its steps, one level at a time.</summary>
internal static class LevelSteps
{
    /// <summary>Gives the step number <paramref name="index"/> (0-based) of the move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <remarks>0 to 3 gives (0,1), (1,2), (2,3); 3 to 1 gives (3,2), (2,1). There are |to - from| steps.</remarks>
    public static LevelChanged Step(int from, int to, int index, in MemorySample sample)
    {
        var direction = Math.Sign(to - from);
        var start = from + (direction * index);
        return new LevelChanged(start, start + direction, sample);
    }
}
