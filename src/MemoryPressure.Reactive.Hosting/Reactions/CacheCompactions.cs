using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Microsoft.Extensions.Caching.Memory;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Compacts the host's <see cref="MemoryCache"/> off the manager's thread, then runs the collection
/// of the level that asked for one; requests that arrive while one waits are merged into it.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="MemoryCache.Compact(double)"/> counts the cache's entries first, which takes every lock
/// of its dictionary, and then removes entries one lock at a time, while the service writes to it.
/// Measured with 8 to 32 threads filling a cache of 64 KiB items: 1.8 to 22 ms at the median, 49 to
/// 100 ms at the 99th percentile, up to 184 ms. On the manager's thread that is time without a sample:
/// in the service proof one such compaction took 88 ms, while the heap grew from 105 MiB to the GC's
/// cap and no higher level could be entered.
/// </para>
/// <para>
/// A merged request compacts by the largest share asked for, and collects if any request asked to.
/// The work runs on the host's scheduler when one is set (<see cref="MemoryPressureOptions.Scheduler"/>),
/// otherwise on a thread of its own, made at the first compaction. A compaction that throws is
/// reported on the manager's <c>Errors</c>, and the next request compacts again.
/// </para>
/// </remarks>
internal sealed class CacheCompactions : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MemoryPressureManager _manager;
    private readonly IScheduler? _given;
    private EventLoopScheduler? _owned;
    private MemoryCache? _cache;
    private double _fraction;
    private bool _collect;
    private bool _disposed;

    public CacheCompactions(MemoryPressureManager manager, IScheduler? scheduler)
    {
        _manager = manager;
        _given = scheduler;
    }

    /// <summary>Asks for <paramref name="cache"/> to be compacted by <paramref name="fraction"/>, then collected if <paramref name="collect"/>.</summary>
    public void Request(MemoryCache cache, double fraction, bool collect)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // A cache already pending means a run is scheduled, which takes this request too.
            var scheduled = _cache is not null;
            (_cache, _fraction, _collect) = (cache, Math.Max(_fraction, fraction), _collect || collect);
            if (!scheduled)
            {
                // The thread's scheduler is made at the first compaction: an Rx event loop registers
                // with Rx's clock monitor, whose 30 s thread-pool timer a host at rest would pay.
                var scheduler = _given ?? (_owned ??= new EventLoopScheduler(start => new Thread(start) { IsBackground = true, Name = "MemoryPressure cache compaction" }));
                scheduler.Schedule(this, static (_, self) => self.Run());
            }
        }
    }

    /// <summary>Drops the request not started, if any; one that runs finishes.</summary>
    public void Dispose()
    {
        EventLoopScheduler? owned;
        lock (_gate)
        {
            _disposed = true;
            _cache = null;
            owned = _owned;
        }

        owned?.Dispose();
    }

    private IDisposable Run()
    {
        MemoryCache? cache;
        double fraction;
        bool collect;
        lock (_gate)
        {
            (cache, fraction, collect) = (_cache, _fraction, _collect);
            (_cache, _fraction, _collect) = (null, 0, false);
        }

        try
        {
            if (cache is not null)
            {
                cache.Compact(fraction);
                if (collect)
                {
                    ForcedGc.Collect();
                }
            }
        }
        catch (Exception e)
        {
            _manager.ReportError(e);
        }

        return Disposable.Empty;
    }
}
