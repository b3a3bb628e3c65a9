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
    /// <param name="cgroupLimitBytes">The process's cgroup limit, 0 for none: after a refresh, whether the GC still has a cap.</param>
    /// <remarks>
    /// Once <see cref="GC.RefreshMemoryLimit"/> has run, the configuration variable reads 0 whatever the
    /// cap (measured on .NET 10 in a v1 cgroup: 768 MiB before a refresh to a 512 MiB limit, 0 after, while
    /// <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/> read 384 MiB at once): the cap is then the total
    /// the GC's memory information gives, where a cgroup limit gives it one.
    /// </remarks>
    public static long ReadHeapHardLimit(long cgroupLimitBytes)
    {
        long configured = 0;
        if (GC.GetConfigurationVariables().TryGetValue("GCHeapHardLimit", out var value) && value is not null)
        {
            var limit = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
            configured = limit > long.MaxValue ? 0 : (long)limit;
        }

        return configured > 0 || Refreshes == 0 ? configured
            : cgroupLimitBytes > 0 ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes
            : 0;
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
