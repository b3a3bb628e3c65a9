namespace CacheUnderLimit.Child;

/// <summary>The cache a <see cref="CacheWorkload"/> fills: one per mode.</summary>
internal interface IWorkloadCache : IDisposable
{
    /// <summary>Gets the number of entries the cache holds.</summary>
    int Count { get; }

    /// <summary>Looks a key up.</summary>
    bool Contains(int key);

    /// <summary>Adds a value computed after a miss.</summary>
    void Add(int key, byte[] value);
}
