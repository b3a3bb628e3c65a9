using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Ladder;

/// <summary>
/// The ladder's state machine, plain C#: which levels are in effect, and since when a pending
/// change has been waiting out its dwell time. One instance per subscription.
/// </summary>
/// <remarks>
/// <see cref="Evaluate"/> judges every level on the same sample, each condition at most once, and
/// commits nothing when a condition throws: the state stays as it was before the sample.
/// Steady-state evaluation allocates nothing.
/// </remarks>
internal sealed class LadderState
{
    private const long NotPending = long.MinValue;

    private readonly LadderLevel[] _levels;
    private bool[] _active;
    private long[] _pendingSince;
    private bool[] _nextActive;
    private long[] _nextPendingSince;

    public LadderState(SeverityLadder ladder)
    {
        _levels = [.. ladder.Levels];
        _active = new bool[_levels.Length];
        _nextActive = new bool[_levels.Length];
        _pendingSince = new long[_levels.Length];
        _nextPendingSince = new long[_levels.Length];
        _pendingSince.AsSpan().Fill(NotPending);
    }

    /// <summary>Gets the current level: the highest level in effect, or 0.</summary>
    public int Level { get; private set; }

    /// <summary>Moves the state on by one sample.</summary>
    /// <returns>The new level.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Evaluate(in MemorySample sample)
    {
        var now = sample.Timestamp.UtcTicks;
        for (var i = 0; i < _levels.Length; i++)
        {
            var level = _levels[i];
            var active = _active[i];
            var changing = active
                ? (level.ExitCondition is { } exit ? exit.CanFire(sample) : !level.Condition.CanFire(sample))
                : level.Condition.CanFire(sample);
            var dwell = active ? level.LeaveAfter : level.EnterAfter;

            // A pending change dates from its first sample; a clock that went back moves that to now,
            // so a wall-clock step cannot stretch a dwell time by its size.
            var pendingSince = changing ? (_pendingSince[i] == NotPending ? now : Math.Min(_pendingSince[i], now)) : NotPending;
            if (changing && now - pendingSince >= dwell.Ticks)
            {
                active = !active;
                pendingSince = NotPending;
            }

            _nextActive[i] = active;
            _nextPendingSince[i] = pendingSince;
        }

        (_active, _nextActive) = (_nextActive, _active);
        (_pendingSince, _nextPendingSince) = (_nextPendingSince, _pendingSince);
        // A loop of its own rather than LastIndexOf, a framework method called once a sample that would
        // be compiled twice more (at its 30th and 60th call) in the middle of a rest.
        var highest = _active.Length;
        while (highest > 0 && !_active[highest - 1])
        {
            highest--;
        }

        Level = highest;
        return Level;
    }
}
