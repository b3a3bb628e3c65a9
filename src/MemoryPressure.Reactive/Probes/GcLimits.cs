using System.Globalization;

namespace MemoryPressure.Reactive.Probes;

/// <summary>What the garbage collector knows of the process's limits.</summary>
internal static class GcLimits
{
    /// <summary>
    /// Reads the GC heap hard limit in bytes (<c>GCHeapHardLimit</c>, set explicitly or derived from
    /// a container's limit), or <c>0</c> when there is none. Allocates: call it rarely.
    /// </summary>
    public static long ReadHeapHardLimit()
    {
        if (GC.GetConfigurationVariables().TryGetValue("GCHeapHardLimit", out var value) && value is not null)
        {
            var limit = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            return limit > long.MaxValue ? 0 : (long)limit;
        }

        return 0;
    }
}
