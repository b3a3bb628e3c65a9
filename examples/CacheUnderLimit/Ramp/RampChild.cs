using System.Diagnostics;
using CacheUnderLimit.Child;
using MemoryPressure.Reactive;

namespace CacheUnderLimit.Ramp;

/// <summary>
/// One child of the ramp proof: a managed cache that grows at a steady rate, emptied each time a
/// one-level ladder is entered, until it has allocated several times its limit.
/// </summary>
internal static class RampChild
{
    private const int ChunkBytes = 64 * 1024;
    private const int PageBytes = 4096;

    /// <param name="condition">The ladder's one condition, in the text form.</param>
    /// <param name="signals">Which push signals the manager may use.</param>
    /// <param name="bytesPerSecond">How fast the cache grows.</param>
    /// <param name="totalBytes">How much it allocates in all before it ends.</param>
    /// <param name="checkInterval">How often the manager polls.</param>
    public static int Run(MemoryCondition condition, RampSignals signals, double bytesPerSecond, long totalBytes, TimeSpan checkInterval)
    {
        var events = new ChildEventWriter(Console.Out);
        var start = MemoryProbe.Default.Read();
        events.Write(new ChildStarted(events.Seconds, start.ProcessLimitBytes, start.ProcessLimitSource.ToString(), start.GcHeapHardLimitBytes));
        var cache = new List<byte[]>();
        var gate = new Lock();
        using var manager = new MemoryPressureManager(new SeverityLadder(condition), new MemoryPressureOptions { CheckInterval = checkInterval, Triggers = signals.Triggers() });
        manager.Errors.Subscribe(error => Console.Error.WriteLine(error));
        manager.Entered(1).Subscribe(step =>
        {
            lock (gate)
            {
                cache.Clear();
            }

            events.Write(new ChildLevelChanged(events.Seconds, step.From, step.To, condition.ToString()!, step.Sample.ProcessResidentBytes));
        });

        var clock = Stopwatch.StartNew();
        for (long allocated = 0; allocated < totalBytes; Thread.Sleep(1))
        {
            var due = Math.Min(totalBytes, (long)(clock.Elapsed.TotalSeconds * bytesPerSecond));
            for (; allocated < due; allocated += ChunkBytes)
            {
                var chunk = new byte[ChunkBytes];
                for (var page = 0; page < ChunkBytes; page += PageBytes)
                {
                    chunk[page] = 1;
                }

                lock (gate)
                {
                    cache.Add(chunk);
                }
            }
        }

        events.Write(new ChildFinished(events.Seconds));
        return 0;
    }
}
