namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Runs a level's reactions again while it stays the highest level in effect, each time the managed
/// heap has grown back by <see cref="MemoryPressureLevelOptions.RepeatAfterHeapGrowthPercent"/> of its
/// limit from the lowest it read since they last ran.
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
/// when the GC has none. The lowest heap counts only samples after which the level is the highest in
/// effect, starting with the one that made it so; it starts afresh after each repeat.
/// </para>
/// </remarks>
internal sealed class RepeatedReactions(MemoryPressureManager manager, int level, double percent, Action<MemorySample, long> react)
{
    private long _lowest = long.MaxValue;

    /// <summary>Judges a sample once the manager is done with it; a failing reaction is reported on <c>Errors</c> by the manager.</summary>
    public void OnDispatched(MemorySample sample)
    {
        if (manager.SeverityLevel != level)
        {
            _lowest = long.MaxValue;
            return;
        }

        _lowest = Math.Min(_lowest, sample.ManagedHeapBytes);
        var limit = sample.GcHeapHardLimitBytes > 0 ? sample.GcHeapHardLimitBytes : sample.ProcessLimitBytes;
        var growth = sample.ManagedHeapBytes - _lowest;
        if (limit > 0 && growth >= limit * percent / 100)
        {
            _lowest = long.MaxValue;
            react(sample, growth);
        }
    }
}
