using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive;

namespace CacheUnderLimit.Moves;

/// <summary>
/// One child of the moves proof (<see cref="MovesProof"/>): a native cache ramp, or a managed workload
/// under a limit that the parent raises or lowers while it runs. It reports on standard output, one
/// <c>key value</c> line each: <c>ready</c> (the parent may move the limit), <c>limit-seen</c> (its own
/// probe read the new limit), <c>limit-change</c> (the manager's <c>LimitChanges</c> event, with the
/// Unix time in milliseconds), <c>entered</c>, <c>repeated</c>, and <c>finished</c>.
/// </summary>
internal static unsafe class MovesChild
{
    private const int NativeBlockBytes = 1 << 20;
    private const int ManagedChunkBytes = 64 * 1024;
    private const int PageBytes = 4096;

    /// <param name="kind">What the child does: <see cref="MovesKind"/>.</param>
    /// <param name="guarded">Whether the library's answer is on: the native trim and held levels acting again, or following limit changes.</param>
    /// <param name="bytesPerSecond">How fast the cache grows.</param>
    public static int Run(MovesKind kind, bool guarded, double bytesPerSecond)
    {
        var start = MemoryProbe.Default.Read();
        Console.WriteLine($"started limit={start.CgroupLimitBytes} gc-cap={start.GcHeapHardLimitBytes}");
        return kind switch
        {
            MovesKind.Native => Native(guarded, start.CgroupLimitBytes * 3, bytesPerSecond),
            MovesKind.Raise => Raise(guarded, start.CgroupLimitBytes),
            MovesKind.Lower => Lower(guarded, start.CgroupLimitBytes, bytesPerSecond),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>
    /// Native blocks of 1 MiB to three times the limit, all freed on entering <c>LocalRelative &lt; 35%</c>.
    /// Guarded: freed again each time the held level acts again, and the native heap trimmed. The control
    /// is the library before this round: freed on entry only, with no trim and no repeat.
    /// </summary>
    private static int Native(bool guarded, long totalBytes, double bytesPerSecond)
    {
        var blocks = new List<nint>();
        var gate = new Lock();
        var level = new LadderLevel(MemoryCondition.Parse("LocalRelative < 35%")) { RepeatAfterGrowthPercent = guarded ? 25 : null };
        using var manager = new MemoryPressureManager(new SeverityLadder(level));
        manager.Errors.Subscribe(error => Console.Error.WriteLine(error));
        void FreeAll(string what, MemorySample sample)
        {
            lock (gate)
            {
                foreach (var block in blocks)
                {
                    NativeMemory.Free((void*)block);
                }

                Console.WriteLine($"{what} resident={sample.ProcessResidentBytes} blocks={blocks.Count}");
                blocks.Clear();
            }
        }

        manager.Entered(1).Subscribe(step => FreeAll("entered", step.Sample));
        manager.Repeated(1).Subscribe(sample => FreeAll("repeated", sample));
        manager.Reactions.Subscribe(r => Console.WriteLine($"reaction {r.Kind} freed-resident={r.ResidentBytesFreed}"));
        if (guarded)
        {
            manager.InstallTrimNativeHeap(1);
        }

        Thread.Sleep(300);
        Ramp(totalBytes, bytesPerSecond, NativeBlockBytes, () =>
        {
            var block = (byte*)NativeMemory.Alloc(NativeBlockBytes);
            for (var page = 0; page < NativeBlockBytes; page += PageBytes)
            {
                block[page] = 1;
            }

            lock (gate)
            {
                blocks.Add((nint)block);
            }
        });
        Console.WriteLine("finished");
        return 0;
    }

    /// <summary>
    /// Waits for the limit to be raised, then holds 400 MiB live on the managed heap (more than the old
    /// cap of a 256 MiB limit). Guarded: a default manager. The control: one with <c>FollowLimitChanges</c> off.
    /// </summary>
    private static int Raise(bool guarded, long initialLimit)
    {
        using var manager = Manager(guarded, "HeapRelative < 20%", out _);
        WaitForLimit(l => l > initialLimit);
        var live = new List<byte[]>();
        for (long held = 0; held < 400L << 20; held += ManagedChunkBytes)
        {
            live.Add(Touched(new byte[ManagedChunkBytes]));
        }

        Console.WriteLine($"holding bytes={live.Count * (long)ManagedChunkBytes} gc-cap={GC.GetGCMemoryInfo().TotalAvailableMemoryBytes}");
        GC.KeepAlive(live);
        Console.WriteLine("finished");
        return 0;
    }

    /// <summary>
    /// Waits for the limit to be lowered, then grows a managed cache to three times the new limit, emptied
    /// on entering <c>HeapRelative &lt; 20%</c> and each time that level acts again, with a forced collection.
    /// Guarded: a default manager. The control: one with <c>FollowLimitChanges</c> off, whose GC keeps the old cap.
    /// </summary>
    private static int Lower(bool guarded, long initialLimit, double bytesPerSecond)
    {
        using var manager = Manager(guarded, "HeapRelative < 20%", out var cache);
        var lowered = WaitForLimit(l => l > 0 && l < initialLimit);
        Ramp(lowered * 3, bytesPerSecond, ManagedChunkBytes, () =>
        {
            var chunk = Touched(new byte[ManagedChunkBytes]);
            lock (cache)
            {
                cache.Add(chunk);
            }
        });
        Console.WriteLine("finished");
        return 0;
    }

    /// <summary>A one-level manager whose level empties <paramref name="cache"/> and collects, on entry and each repeat.</summary>
    private static MemoryPressureManager Manager(bool followLimitChanges, string condition, out List<byte[]> cache)
    {
        var held = new List<byte[]>();
        var manager = new MemoryPressureManager(new SeverityLadder(MemoryCondition.Parse(condition)), new MemoryPressureOptions { FollowLimitChanges = followLimitChanges });
        manager.Errors.Subscribe(error => Console.Error.WriteLine(error));
        manager.LimitChanges.Subscribe(change => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"limit-change at={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} limit={change.Limit} before={change.BeforeBytes} after={change.AfterBytes} response={change.Response} gc-cap={change.GcHeapHardLimitBytes}")));
        void Empty(string what)
        {
            lock (held)
            {
                held.Clear();
            }

            Console.WriteLine(what);
        }

        manager.Entered(1).Subscribe(_ => Empty("entered"));
        manager.Repeated(1).Subscribe(_ => Empty("repeated"));
        manager.InstallForceGcCollect(1);
        cache = held;

        // A manager follows changes from the limits its first sample saw: the parent moves the limit after it.
        manager.Samples.Take(1).Wait();
        return manager;
    }

    /// <summary>Says it is ready, then waits until its own probe reads a limit that <paramref name="moved"/> accepts.</summary>
    private static long WaitForLimit(Func<long, bool> moved)
    {
        Console.WriteLine("ready");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var limit = MemoryProbe.Default.Read().CgroupLimitBytes;
            if (moved(limit))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"limit-seen limit={limit} after={clock.Elapsed.TotalMilliseconds:F0}ms"));
                Thread.Sleep(100);
                return limit;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the limit never moved");
            }

            Thread.Sleep(5);
        }
    }

    private static void Ramp(long totalBytes, double bytesPerSecond, int step, Action allocate)
    {
        var clock = Stopwatch.StartNew();
        for (long allocated = 0; allocated < totalBytes;)
        {
            var due = Math.Min(totalBytes, (long)(clock.Elapsed.TotalSeconds * bytesPerSecond));
            for (; allocated < due; allocated += step)
            {
                allocate();
            }

            Thread.Sleep(1);
        }
    }

    private static byte[] Touched(byte[] chunk)
    {
        for (var page = 0; page < chunk.Length; page += PageBytes)
        {
            chunk[page] = 1;
        }

        return chunk;
    }
}

/// <summary>What a <see cref="MovesChild"/> does.</summary>
public enum MovesKind
{
    /// <summary>A native cache ramp.</summary>
    Native,

    /// <summary>A limit raised, then more held than the old cap.</summary>
    Raise,

    /// <summary>A limit lowered, then a cache grown under a heap condition.</summary>
    Lower,
}
