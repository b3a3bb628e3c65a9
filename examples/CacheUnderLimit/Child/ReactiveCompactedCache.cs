using MemoryPressure.Reactive;
using Microsoft.Extensions.Caching.Memory;

namespace CacheUnderLimit.Child;

/// <summary>
/// (c) A <see cref="MemoryCache"/> that a <see cref="MemoryPressureManager"/> compacts on each
/// level of <see cref="ProofLadder"/>: a little at first, then more, each time followed by a full collection.
/// </summary>
internal sealed class ReactiveCompactedCache : IWorkloadCache
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly MemoryPressureManager _manager;

    public ReactiveCompactedCache(ChildEventWriter events)
    {
        _manager = new MemoryPressureManager(
            ProofLadder.Create(),
            new MemoryPressureOptions { CheckInterval = ProofLadder.CheckInterval });
        _manager.Changes.Subscribe(step => events.Write(new ChildLevelChanged(
            events.Seconds, step.From, step.To, _manager.Ladder.GetLevel(step.Level).Condition.ToString()!, step.Sample.ProcessResidentBytes)));
        _manager.Errors.Subscribe(error => Console.Error.WriteLine(error));

        // Compact removes the least recently used entries first, so the hot keys stay cached. What it
        // removes gives memory back only after a collection, which on levels 2 and 3 runs right after
        // their cleanup actions.
        _manager.CleanupOnEntered(1, _cache, static cache => cache.Compact(0.10));
        _manager.CleanupOnEntered(2, _cache, static cache => cache.Compact(0.25));
        _manager.CleanupOnEntered(3, _cache, static cache => cache.Compact(0.50));
        _manager.InstallForceGcCollect(2);
        _manager.InstallForceGcCollect(3);

        // While the top level holds (memory the cache does not own is short), keep giving back.
        _manager.Remaining(3, TimeSpan.FromSeconds(1)).Subscribe(_ =>
        {
            _cache.Compact(0.25);
            ForcedGc.Collect();
        });
    }

    public int Count => _cache.Count;

    public bool Contains(int key) => _cache.TryGetValue(key, out _);

    public void Add(int key, byte[] value) => _cache.Set(key, value);

    public void Dispose()
    {
        _manager.Dispose();
        _cache.Dispose();
    }
}
