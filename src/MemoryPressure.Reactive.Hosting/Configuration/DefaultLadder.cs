using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Gives a host that configured no level at all, in configuration or in code, the default ladder:
/// three levels, each watching the process limit and the GC's own cap.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>level</term><description>condition; what the host does</description></listheader>
/// <item><term>1 trim</term><description><c>LocalRelative &lt; 25% | HeapRelative &lt; 30%</c>; compacts a registered <c>MemoryCache</c> by 25%; Degraded</description></item>
/// <item><term>2 shed</term><description><c>LocalRelative &lt; 15% | HeapRelative &lt; 20%</c>; compacts it by 50%, forces a full collection and trims the native heap; Degraded</description></item>
/// <item><term>3 critical</term><description><c>LocalRelative &lt; 5% | HeapRelative &lt; 10%</c>; empties it, forces a full collection and trims the native heap; Unhealthy</description></item>
/// </list>
/// The cache is compacted only when the registered <c>IMemoryCache</c> is a <c>MemoryCache</c>
/// (<c>services.AddMemoryCache()</c>). The native heap trim (<see cref="MemoryPressureLevelOptions.TrimNativeHeap"/>)
/// is <c>malloc_trim(0)</c> where the C library is glibc and a no-op elsewhere (<see cref="NativeHeap.Status"/>).
/// Each level that stays the highest in effect acts again when memory grows back by a quarter of the room
/// it had (<see cref="MemoryPressureLevelOptions.RepeatAfterGrowthPercent"/>, 25%). A level that is configured anywhere replaces the whole default.
/// A missing or empty <c>MemoryPressure</c> section gets it; a <c>Levels</c> key with no level in it
/// (<c>"Levels": []</c>) is a configuration error instead, since it says a ladder was meant.
/// </remarks>
internal sealed class DefaultLadder(IMemoryCache? memoryCache = null) : IPostConfigureOptions<MemoryPressureHostingOptions>
{
    private static readonly (string Name, string Condition, double Compact, bool Collect, bool Trim)[] Levels =
    [
        ("trim", "LocalRelative < 25% | HeapRelative < 30%", 25, false, false),
        ("shed", "LocalRelative < 15% | HeapRelative < 20%", 50, true, true),
        ("critical", "LocalRelative < 5% | HeapRelative < 10%", 100, true, true),
    ];

    public void PostConfigure(string? name, MemoryPressureHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Levels.Count > 0 || options.ConfigurationErrors.Count > 0)
        {
            return;
        }

        var compacts = memoryCache is MemoryCache;
        foreach (var (levelName, condition, compact, collect, trim) in Levels)
        {
            options.Levels.Add(new MemoryPressureLevelOptions
            {
                Name = levelName,
                Condition = MemoryCondition.Parse(condition),
                CompactMemoryCachePercent = compacts ? compact : null,
                ForceGcCollect = collect,
                TrimNativeHeap = trim,
            });
        }
    }
}
