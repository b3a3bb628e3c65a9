using System.Collections.Specialized;
using System.Globalization;
using System.Runtime.Caching;

namespace CacheUnderLimit.Child;

/// <summary>
/// (b) The platform's own answer: <see cref="MemoryCache"/> of System.Runtime.Caching, which
/// trims itself when its size or the machine's memory use passes the limits it is configured with.
/// </summary>
internal sealed class RuntimeCachingCache : IWorkloadCache
{
    // No expiration: only the memory limits remove entries, as in the other modes.
    private static readonly CacheItemPolicy NoExpiration = new();

    private readonly MemoryCache _cache;

    /// <summary>Initializes a cache limited to half of <paramref name="limitBytes"/>, checked every <paramref name="pollingInterval"/>.</summary>
    public RuntimeCachingCache(long limitBytes, TimeSpan pollingInterval)
    {
        var halfLimitMegabytes = limitBytes / 2 / (1024 * 1024);
        _cache = new MemoryCache(nameof(CacheUnderLimit), new NameValueCollection
        {
            ["CacheMemoryLimitMegabytes"] = halfLimitMegabytes.ToString(CultureInfo.InvariantCulture),
            ["PhysicalMemoryLimitPercentage"] = "50",
            ["PollingInterval"] = pollingInterval.ToString("c", CultureInfo.InvariantCulture),
        });
    }

    public int Count => (int)_cache.GetCount();

    public bool Contains(int key) => _cache.Get(Key(key)) is not null;

    public void Add(int key, byte[] value) => _cache.Set(Key(key), value, NoExpiration);

    public void Dispose() => _cache.Dispose();

    private static string Key(int key) => key.ToString(CultureInfo.InvariantCulture);
}
