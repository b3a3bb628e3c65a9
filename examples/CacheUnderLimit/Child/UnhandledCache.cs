using Microsoft.Extensions.Caching.Memory;

namespace CacheUnderLimit.Child;

/// <summary>(a) A <see cref="MemoryCache"/> with no size limit that nothing trims: how most caches start out.</summary>
internal sealed class UnhandledCache : IWorkloadCache
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public int Count => _cache.Count;

    public bool Contains(int key) => _cache.TryGetValue(key, out _);

    public void Add(int key, byte[] value) => _cache.Set(key, value);

    public void Dispose() => _cache.Dispose();
}
