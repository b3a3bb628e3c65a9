using System.Diagnostics;

namespace CacheUnderLimit.Child;

/// <summary>
/// A service that caches what it computes: requests at a steady rate for keys of a skewed
/// distribution over a key space far larger than memory, so a few keys are hot and the cache,
/// left alone, grows without end. Midway the service also needs memory of its own for a while
/// (a burst of request buffers), as real services do. Every mode serves the same requests in the
/// same order and has the same burst.
/// </summary>
internal sealed class CacheWorkload(IWorkloadCache cache, long limitBytes)
{

    /// <summary>The size of one computed value: 64 KiB, below the large object heap's threshold.</summary>
    public const int EntryBytes = 64 * 1024;

    private const int KeySpace = 1_000_000;
    private const double RequestsPerSecond = 800;
    private const double Skew = 10;
    private const int Seed = 8;
    private const int BufferBytes = 1024 * 1024;
    private const double BurstStart = 0.4;
    private const double BurstEnd = 0.7;

    private readonly List<byte[]> _buffers = [];
    private long _hits;
    private long _misses;

    /// <summary>Gets the workload in words, for the results.</summary>
    public static string Description { get; } = FormattableString.Invariant(
        $"{RequestsPerSecond:F0} requests a second for skewed keys, a {EntryBytes / 1024} KiB value computed and cached on each miss, and from {BurstStart * 100:F0}% to {BurstEnd * 100:F0}% of the run a burst of request buffers of a quarter of the limit.");

    /// <summary>Gets the requests answered from the cache so far.</summary>
    public long Hits => Volatile.Read(ref _hits);

    /// <summary>Gets the requests that had to compute their value so far; each added one entry.</summary>
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>Serves requests for <paramref name="duration"/>, with a burst of buffers of a quarter of the limit part of the way.</summary>
    public async Task RunAsync(TimeSpan duration)
    {
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        long served = 0;
        while (clock.Elapsed < duration && await ticks.WaitForNextTickAsync())
        {
            var progress = clock.Elapsed / duration;
            HoldBuffers(progress is >= BurstStart and < BurstEnd ? limitBytes / 4 : 0);
            for (var due = (long)(clock.Elapsed.TotalSeconds * RequestsPerSecond); served < due; served++)
            {
                Serve((int)(KeySpace * Math.Pow(random.NextDouble(), Skew)));
            }
        }
    }

    private void Serve(int key)
    {
        if (cache.Contains(key))
        {
            Interlocked.Increment(ref _hits);
            return;
        }

        cache.Add(key, Touched(new byte[EntryBytes], (byte)key));
        Interlocked.Increment(ref _misses);
    }

    /// <summary>Grows the request buffers toward <paramref name="bytes"/> a few MiB a tick, or drops them all.</summary>
    private void HoldBuffers(long bytes)
    {
        if (bytes == 0)
        {
            _buffers.Clear();
            return;
        }

        for (var i = 0; i < 4 && (long)_buffers.Count * BufferBytes < bytes; i++)
        {
            _buffers.Add(Touched(new byte[BufferBytes], 1));
        }
    }

    // Written, not just allocated: fresh pages the GC hands out are not resident until touched.
    private static byte[] Touched(byte[] buffer, byte value)
    {
        buffer.AsSpan().Fill(value);
        return buffer;
    }
}
