using System.Globalization;

namespace MemoryPressure.Reactive.Probes;

/// <summary>What the garbage collector knows of the process's limits and the machine's memory.</summary>
internal static class GcLimits
{
    private static int s_refreshes;

    /// <summary>Gets how many times <see cref="Refresh"/> has told the GC its limit: a probe reads the cap again when it moves.</summary>
    public static int Refreshes => Volatile.Read(ref s_refreshes);

    /// <summary>Has the GC read its limits again (<see cref="GC.RefreshMemoryLimit"/>), and says so to the probes.</summary>
    /// <exception cref="InvalidOperationException">The GC refused: it has committed more than the new cap.</exception>
    public static void Refresh()
    {
        GC.RefreshMemoryLimit();
        Interlocked.Increment(ref s_refreshes);
    }

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

    /// <summary>
    /// Reads the machine's memory as the GC saw it at its last collection: the total it may use
    /// (physical memory, or a job object's, container's or hard limit) and that total less its load.
    /// Allocates the few hundred bytes of <see cref="GC.GetGCMemoryInfo()"/>.
    /// </summary>
    public static (long TotalBytes, long AvailableBytes) ReadSystemMemory()
    {
        var info = GC.GetGCMemoryInfo();
        return (info.TotalAvailableMemoryBytes, Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes));
    }
}
