using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Ladder;

/// <summary>
/// The one stepping of the ladder, shared by <see cref="MemoryPressureObservable.ToLevelChanges"/> and
/// the manager: a sample judged on a <see cref="LadderState"/>, and the move between the two levels
/// emitted one level at a time.
/// </summary>
internal static class LevelSteps
{
    /// <summary>Judges a sample and emits its steps in order: 0 to 3 gives (0,1), (1,2), (2,3); 3 to 1 gives (3,2), (2,1).</summary>
    /// <param name="state">The ladder's state, moved on by the sample.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="target">What the steps go to (passed to <paramref name="onStep"/>, so that a static lambda allocates nothing).</param>
    /// <param name="onStep">Called once per step.</param>
    /// <returns>
    /// The exception of a condition that threw, with the state unchanged and no step emitted; what it
    /// means is the caller's contract (the operator ends with <c>OnError</c>, the manager reports it and
    /// keeps its level). <see langword="null"/> otherwise.
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Exception? Judge<TTarget>(LadderState state, in MemorySample sample, TTarget target, Action<TTarget, LevelChanged> onStep)
    {
        var from = state.Level;
        int to;
        try
        {
            to = state.Evaluate(sample);
        }
        catch (Exception e)
        {
            return e;
        }

        var direction = Math.Sign(to - from);
        for (var level = from; level != to; level += direction)
        {
            onStep(target, new LevelChanged(level, level + direction, sample));
        }

        return null;
    }
}
