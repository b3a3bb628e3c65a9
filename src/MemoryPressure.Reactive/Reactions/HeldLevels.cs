namespace MemoryPressure.Reactive.Reactions;

/// <summary>
/// Follows the figure that the highest level in effect reads, from the most room it saw since the level
/// last acted, and says when memory has grown back enough for the level to act again
/// (<see cref="LadderLevel.RepeatAfterGrowthPercent"/>).
/// </summary>
/// <remarks>
/// Only the highest level in effect is followed, so one mark is all the state: it starts afresh with
/// each sample that changes the level (the level entered has just acted; a level stepped down to has
/// acted before), and after each repeat. Not thread-safe: the manager calls it under its gate.
/// Allocates nothing.
/// </remarks>
internal sealed class HeldLevels(SeverityLadder ladder)
{
    private int _level;
    private long _mostRoom;

    /// <summary>
    /// Judges a sample that left the level at <paramref name="to"/> from <paramref name="from"/>: whether
    /// the level stayed, and the room its condition reads has shrunk from the most since the level last
    /// acted by the level's share of that room, and by at least 1% of the limit. When it has, the level
    /// counts as acting now.
    /// </summary>
    public bool ActsAgain(int from, int to, in MemorySample sample)
    {
        if (to == 0)
        {
            _level = 0;
            return false;
        }

        var rung = ladder.Levels[to - 1];
        var room = rung.Condition.Headroom(sample);
        if (from != to || _level != to)
        {
            (_level, _mostRoom) = (to, room.HeadroomBytes);
            return false;
        }

        if (rung.RepeatAfterGrowthPercent is not { } percent || room.LimitBytes <= 0)
        {
            return false;
        }

        var most = Math.Max(_mostRoom, room.HeadroomBytes);
        var growth = most - room.HeadroomBytes;
        if (growth > 0 && growth >= Math.Max(Math.Max(most, 0) * percent / 100, room.LimitBytes / 100.0))
        {
            _mostRoom = room.HeadroomBytes;
            return true;
        }

        _mostRoom = most;
        return false;
    }
}
