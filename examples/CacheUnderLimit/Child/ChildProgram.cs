using MemoryPressure.Reactive;

namespace CacheUnderLimit.Child;

/// <summary>One child process: runs the workload in one mode and reports on its standard output.</summary>
internal static class ChildProgram
{
    /// <summary>The time between two <see cref="ChildReading"/>s.</summary>
    public static readonly TimeSpan ReadingInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(CacheMode mode, TimeSpan duration)
    {
        var events = new ChildEventWriter(Console.Out);
        var start = MemoryProbe.Default.Read();
        events.Write(new ChildStarted(events.Seconds, start.ProcessLimitBytes, start.ProcessLimitSource.ToString(), start.GcHeapHardLimitBytes));

        using var cache = Create(mode, start.ProcessLimitBytes, events);
        var workload = new CacheWorkload(cache, start.ProcessLimitBytes);
        using (MemorySamples.Poll(ReadingInterval).Subscribe(sample => events.Write(Read(sample, workload, cache, events.Seconds))))
        {
            await workload.RunAsync(duration);
        }

        events.Write(new ChildFinished(events.Seconds));
        return 0;
    }

    private static ChildReading Read(MemorySample sample, CacheWorkload workload, IWorkloadCache cache, double seconds)
    {
        // Misses before the count: an entry added in between then cannot pass for one trimmed.
        var (hits, misses) = (workload.Hits, workload.Misses);
        return new ChildReading(seconds, sample.ProcessResidentBytes, sample.ManagedHeapBytes, sample.CgroupUsageBytes, cache.Count, hits, misses);
    }

    private static IWorkloadCache Create(CacheMode mode, long limitBytes, ChildEventWriter events) => mode switch
    {
        CacheMode.None => new UnhandledCache(),
        CacheMode.RuntimeCaching => new RuntimeCachingCache(limitBytes, ProofLadder.CheckInterval),
        CacheMode.Reactive => new ReactiveCompactedCache(events),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
