using MemoryPressure.Reactive;
using Microsoft.Extensions.Caching.Memory;

namespace WorkerService;

/// <summary>Fills the memory cache and the report cache with a few megabytes every tenth of a second.</summary>
internal sealed class CacheFiller(IMemoryCache cache, ReportCache reports, MemoryPressureManager manager) : BackgroundService
{
    private const int ChunkBytes = 4 * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Custom caches: clean up on entering a level. The manager holds the cache weakly, and the
        // action gets it as its argument, so the registration never keeps the cache alive.
        using var trimReports = manager.CleanupOnEntered(1, reports, static r => r.Trim());

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var key = 0; await timer.WaitForNextTickAsync(stoppingToken); key++)
        {
            cache.Set(key, Filled(ChunkBytes));
            if (key % 4 == 0)
            {
                reports.Add(Filled(ChunkBytes / 4));
            }
        }
    }

    /// <summary>An array whose pages are written, so that they count in the resident set.</summary>
    private static byte[] Filled(int length)
    {
        var chunk = GC.AllocateUninitializedArray<byte>(length);
        Array.Fill(chunk, (byte)1);
        return chunk;
    }
}
