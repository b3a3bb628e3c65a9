using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive;

/// <summary>
/// An ordered list of levels of memory pressure: <c>levels[0]</c> is level 1, the mildest; level 0,
/// "memory is fine", is implicit.
/// </summary>
/// <remarks>
/// The level after a sample is the highest level whose condition holds (checked from the top);
/// conditions need not be monotonic. Levels are concurrent: while level 2 is in effect, level 1 is too.
/// Moving between levels goes one step at a time: see <see cref="MemoryPressureObservable.ToLevelChanges"/>.
/// A ladder is immutable and can be shared.
/// </remarks>
public sealed class SeverityLadder
{
    private readonly LadderLevel[] _levels;

    /// <summary>Initializes a ladder of plain conditions, mildest first.</summary>
    /// <param name="levels">The condition of each level; <c>levels[0]</c> is level 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> or one of its items is <see langword="null"/>.</exception>
    public SeverityLadder(params MemoryCondition[] levels)
        : this(ToLevels(levels))
    {
    }

    /// <summary>Initializes a ladder of levels with hysteresis or dwell times, mildest first.</summary>
    /// <param name="levels">The levels; <c>levels[0]</c> is level 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> or one of its items is <see langword="null"/>.</exception>
    public SeverityLadder(params LadderLevel[] levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (Array.IndexOf(levels, null) is var index and >= 0)
        {
            throw new ArgumentNullException(nameof(levels), $"Level {index + 1} is null.");
        }

        _levels = (LadderLevel[])levels.Clone();
    }

    /// <summary>Gets the number of levels, N; valid levels are 1..N.</summary>
    public int Count => _levels.Length;

    /// <summary>Gets the levels, mildest first: index 0 is level 1.</summary>
    public IReadOnlyList<LadderLevel> Levels => _levels;

    /// <summary>Gets a level by its number.</summary>
    /// <param name="level">The level, 1..<see cref="Count"/>.</param>
    /// <returns>The level's definition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..<see cref="Count"/>.</exception>
    public LadderLevel GetLevel(int level) => _levels[CheckLevel(level, nameof(level)) - 1];

    /// <summary>Describes the ladder, one level per line.</summary>
    /// <returns>Lines of the form <c>1: LocalRelative &lt; 20%</c>.</returns>
    public override string ToString() => string.Join(Environment.NewLine, _levels.Select((l, i) => $"{i + 1}: {l}"));

    /// <summary>
    /// Gets the seconds until a level above <paramref name="level"/> is entered if memory goes on
    /// moving as it did from <paramref name="previous"/> to <paramref name="current"/>, or
    /// <see cref="double.PositiveInfinity"/> when nothing approaches (a level whose condition holds
    /// already is only waiting out its dwell time, and does not count).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double SecondsToEnterAbove(int level, in MemorySample previous, in MemorySample current) =>
        SecondsToEnterAbove(level, previous, current, (current.Timestamp.UtcTicks - previous.Timestamp.UtcTicks) / (double)TimeSpan.TicksPerSecond);

    /// <summary>Gets the seconds until a level above <paramref name="level"/> is entered, for a move from <paramref name="previous"/> to <paramref name="current"/> that took <paramref name="elapsed"/> seconds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double SecondsToEnterAbove(int level, in MemorySample previous, in MemorySample current, double elapsed)
    {
        var soonest = double.PositiveInfinity;
        for (var above = level; above < _levels.Length; above++)
        {
            var condition = _levels[above].Condition;
            if (!condition.CanFire(current))
            {
                soonest = Math.Min(soonest, condition.SecondsToFire(previous, current, elapsed));
            }
        }

        return soonest;
    }

    /// <summary>Refuses a level outside 1..N, or 0..N when <paramref name="allowZero"/>.</summary>
    internal int CheckLevel(int level, string parameterName, bool allowZero = false)
    {
        var lowest = allowZero ? 0 : 1;
        if (level < lowest || level > _levels.Length)
        {
            throw new ArgumentOutOfRangeException(parameterName, level, $"The level must be in {lowest}..{_levels.Length}.");
        }

        return level;
    }

    private static LadderLevel[] ToLevels(MemoryCondition[] levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        return [.. levels.Select((c, i) => c is null ? throw new ArgumentNullException(nameof(levels), $"Level {i + 1} is null.") : new LadderLevel(c))];
    }
}
