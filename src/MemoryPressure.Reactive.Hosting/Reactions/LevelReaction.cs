using System.Reactive.Disposables;
using Microsoft.Extensions.Caching.Memory;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// What the host does at one level: compact the registered <see cref="MemoryCache"/> by the level's
/// share (<see cref="MemoryPressureLevelOptions.CompactMemoryCachePercent"/>), force a collection
/// (<see cref="MemoryPressureLevelOptions.ForceGcCollect"/>) and trim the native heap
/// (<see cref="MemoryPressureLevelOptions.TrimNativeHeap"/>), on entry and on each repeat.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>the level</term><description>what runs, and where</description></listheader>
/// <item><term>compacts part of the cache</term><description>the compaction on <see cref="CacheCompactions"/>' thread, then the level's collection there</description></item>
/// <item><term>compacts 100%</term><description><see cref="MemoryCache.Clear"/> on the manager's thread (it swaps the cache's store at once and takes no lock; entries marked <see cref="CacheItemPriority.NeverRemove"/> go too), then the collection once the manager is done with the sample</description></item>
/// <item><term>only collects</term><description>the collection once the manager is done with the sample</description></item>
/// </list>
/// The cache is held weakly, as <see cref="MemoryPressureManager.CleanupOnEntered{T}"/> holds it. Each
/// part is registered with the manager, which runs it again when the level acts again while held
/// (<see cref="MemoryPressureManager.Repeated(int)"/>): the host keeps no repeat of its own. The native
/// trim runs once the manager is done with the sample, so after a collection there, but it does not wait
/// for a partial compaction on its thread.
/// </remarks>
internal sealed class LevelReaction
{
    private readonly WeakReference<MemoryCache>? _cache;
    private readonly double _fraction;
    private readonly bool _collect;
    private readonly bool _trim;
    private readonly CacheCompactions _compactions;

    public LevelReaction(MemoryCache? cache, MemoryPressureLevelOptions level, CacheCompactions compactions)
    {
        _cache = cache is null ? null : new(cache);
        _fraction = (level.CompactMemoryCachePercent ?? 0) / 100;
        _collect = level.ForceGcCollect;
        _trim = level.TrimNativeHeap;
        _compactions = compactions;
    }

    /// <summary>Registers the reaction to each entry into <paramref name="level"/> and each repeat.</summary>
    public IDisposable Install(MemoryPressureManager manager, int level)
    {
        var registrations = new CompositeDisposable();
        if (_cache is not null && _cache.TryGetTarget(out var cache))
        {
            registrations.Add(manager.CleanupOnEntered(level, cache, Compact));
        }

        if (_collect && !CollectsAfterCompaction)
        {
            registrations.Add(manager.InstallForceGcCollect(level));
        }

        if (_trim)
        {
            registrations.Add(manager.InstallTrimNativeHeap(level));
        }

        return registrations;
    }

    /// <summary>Gets whether the collection follows a compaction on the compaction thread rather than the sample.</summary>
    private bool CollectsAfterCompaction => _cache is not null && _fraction < 1;

    private void Compact(MemoryCache cache)
    {
        if (_fraction >= 1)
        {
            cache.Clear();
        }
        else
        {
            _compactions.Request(cache, _fraction, _collect);
        }
    }
}
