namespace CacheUnderLimit;

/// <summary>The names of the modes on the command line and in the results.</summary>
public static class CacheModeNames
{
    /// <summary>Gets the name that selects the mode on the command line: <c>none</c>, <c>runtime-caching</c>, <c>reactive</c>.</summary>
    public static string ArgumentName(this CacheMode mode) => mode switch
    {
        CacheMode.None => "none",
        CacheMode.RuntimeCaching => "runtime-caching",
        CacheMode.Reactive => "reactive",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Gets the label of the mode in the table and the chart.</summary>
    public static string Title(this CacheMode mode) => mode switch
    {
        CacheMode.None => "(a) no memory handling",
        CacheMode.RuntimeCaching => "(b) System.Runtime.Caching limits",
        CacheMode.Reactive => "(c) MemoryCache + MemoryPressure.Reactive",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Reads a mode from its command-line name.</summary>
    public static CacheMode Parse(string name)
    {
        foreach (var mode in Enum.GetValues<CacheMode>())
        {
            if (mode.ArgumentName() == name)
            {
                return mode;
            }
        }

        throw new ArgumentException($"Unknown mode '{name}': use none, runtime-caching or reactive.", nameof(name));
    }
}
