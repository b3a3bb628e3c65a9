using Microsoft.Extensions.Caching.Memory;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Compacts a <see cref="MemoryCache"/> on entering a level: the documented pattern for any cache, applied to this one.</summary>
internal static class MemoryCacheCompaction
{
    /// <summary>
    /// Registers <see cref="MemoryCache.Compact(double)"/> as a cleanup action of a level. The cache is
    /// held weakly by the manager and the action captures only the percentage, so the registration
    /// never keeps the cache alive.
    /// </summary>
    public static IDisposable CompactOnEntered(MemoryPressureManager manager, int level, MemoryCache cache, double percent)
    {
        var fraction = percent / 100;
        return manager.CleanupOnEntered(level, cache, cache => cache.Compact(fraction));
    }
}
