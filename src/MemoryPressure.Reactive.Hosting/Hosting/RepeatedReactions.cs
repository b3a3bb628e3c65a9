using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Runs the reactions of the highest level in effect again while it stays so, each time the managed
/// heap has grown back by that level's <see cref="MemoryPressureLevelOptions.RepeatAfterHeapGrowthPercent"/>
/// of its limit from the lowest it read since they last ran.
/// </summary>
/// <remarks>
/// <para>
/// A level's reactions run when it is entered. A level held by memory they cannot free (a resident set
/// that stays up once the heap is emptied, native memory, mapped files) is not entered again, so the
/// cache would refill to the GC's cap beneath it. Seen in the service proof: the critical level emptied
/// the cache, the heap fell to 11 to 24 MiB, the resident set stayed at 255 to 273 MiB of 256 MiB, and
/// the refilled cache ran the GC out of memory with the level still in effect.
/// </para>
/// <para>
/// The limit is the GC's cap (<see cref="MemorySample.GcHeapHardLimitBytes"/>), or the process's limit
/// when the GC has none. Only the highest level in effect is followed, so one lowest heap is all the
/// state: it starts afresh with the first sample after which another level is the highest, and after
/// each repeat.
/// </para>
/// </remarks>
internal sealed class RepeatedReactions(IReadOnlyList<(double Percent, LevelReaction Reaction)?> byLevel, Action<int, MemorySample, long> repeated)
{
    private int _level;
    private long _lowest = long.MaxValue;

    /// <summary>Judges a sample once the manager is done with it, at the level it left memory at; a failing reaction is reported on <c>Errors</c> by the manager.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnDispatched(MemorySample sample, int level)
    {
        if (level != _level)
        {
            (_level, _lowest) = (level, long.MaxValue);
        }

        if (level == 0 || byLevel[level - 1] is not var (percent, reaction))
        {
            return;
        }

        _lowest = Math.Min(_lowest, sample.ManagedHeapBytes);
        var limit = sample.GcHeapHardLimitBytes > 0 ? sample.GcHeapHardLimitBytes : sample.ProcessLimitBytes;
        var growth = sample.ManagedHeapBytes - _lowest;
        if (limit > 0 && growth >= limit * percent / 100)
        {
            _lowest = long.MaxValue;
            repeated(level, sample, growth);
            reaction.Repeat();
        }
    }
}
