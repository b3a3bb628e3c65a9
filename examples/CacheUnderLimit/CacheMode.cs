namespace CacheUnderLimit;

/// <summary>How the cache of one child process deals with memory.</summary>
public enum CacheMode
{
    /// <summary>(a) A <c>Microsoft.Extensions.Caching.Memory.MemoryCache</c> that nothing trims.</summary>
    None,

    /// <summary>(b) The platform's own answer: <c>System.Runtime.Caching.MemoryCache</c> with its memory limits.</summary>
    RuntimeCaching,

    /// <summary>(c) A <c>Microsoft.Extensions.Caching.Memory.MemoryCache</c> compacted by MemoryPressure.Reactive.</summary>
    Reactive,
}
