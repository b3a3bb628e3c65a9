using System.Diagnostics;

namespace MemoryPressure.Demo;

/// <summary>The workload: computes values and caches every one, about 48 MiB a second, as long as it runs.</summary>
internal static class CacheFiller
{
    private const double BytesPerSecond = 48 * 1024 * 1024;

    /// <summary>Fills <paramref name="cache"/> until <paramref name="stop"/>; never past <paramref name="capBytes"/>, whatever the handlers do.</summary>
    public static async Task RunAsync(DemoCache cache, long capBytes, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        long added = 0;
        while (await ticks.TickUnlessStopped(stop))
        {
            for (var due = (long)(clock.Elapsed.TotalSeconds * BytesPerSecond / DemoCache.EntryBytes); added < due; added++)
            {
                if (cache.Bytes < capBytes)
                {
                    cache.Add();
                }
            }
        }
    }
}
