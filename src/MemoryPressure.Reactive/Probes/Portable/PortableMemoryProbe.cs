using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Probes;

namespace MemoryPressure.Reactive;

/// <summary>
/// Reads memory figures from what .NET offers on every platform (Windows, macOS, and Linux where
/// the kernel files cannot be read).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>figure</term><description>source</description></listheader>
/// <item><term><see cref="MemorySample.ProcessResidentBytes"/></term><description><see cref="Environment.WorkingSet"/></description></item>
/// <item><term><see cref="MemorySample.ManagedHeapBytes"/></term><description><see cref="GC.GetTotalMemory(bool)"/></description></item>
/// <item><term><see cref="MemorySample.SystemTotalBytes"/></term><description><see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: physical memory, or the limit of a job object or container, or the GC heap hard limit</description></item>
/// <item><term><see cref="MemorySample.SystemAvailableBytes"/></term><description>that total less <see cref="GCMemoryInfo.MemoryLoadBytes"/> as of the last GC</description></item>
/// <item><term><see cref="MemorySample.ProcessLimitBytes"/></term><description>the explicit limit, else the GC heap hard limit, else the total above</description></item>
/// </list>
/// <para>
/// <see cref="GCMemoryInfo"/> is refreshed by garbage collections, not by this call, so the
/// system figures lag between collections; each read allocates the few hundred bytes that
/// <see cref="GC.GetGCMemoryInfo()"/> does. Safe to call from several threads.
/// </para>
/// </remarks>
public sealed class PortableMemoryProbe : IMemoryProbe
{
    private readonly long _explicitLimitBytes;
    private readonly long _gcHeapHardLimit = GcLimits.ReadHeapHardLimit(0);

    /// <summary>Initializes a probe that finds the process's limit by itself.</summary>
    public PortableMemoryProbe()
    {
    }

    /// <summary>Initializes a probe that reports an explicit process limit.</summary>
    /// <param name="processLimitBytes">The most the process may use, in bytes; <c>0</c> to find it from the GC or the machine.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processLimitBytes"/> is negative.</exception>
    public PortableMemoryProbe(long processLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(processLimitBytes);
        _explicitLimitBytes = processLimitBytes;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MemorySample Read()
    {
        var (total, available) = GcLimits.ReadSystemMemory();
        var (limit, source) = ProcessLimit.Choose(_explicitLimitBytes, 0, 0, _gcHeapHardLimit, total);
        return new MemorySample
        {
            ProcessResidentBytes = Environment.WorkingSet,
            ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            SystemTotalBytes = total,
            SystemAvailableBytes = available,
            ProcessLimitBytes = limit,
            ProcessLimitSource = source,
            GcHeapHardLimitBytes = _gcHeapHardLimit,
        };
    }
}
