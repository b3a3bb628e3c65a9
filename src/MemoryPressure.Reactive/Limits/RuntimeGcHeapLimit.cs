using MemoryPressure.Reactive.Probes;

namespace MemoryPressure.Reactive.Limits;

/// <summary>The running GC's heap hard limit (<see cref="GcLimits"/>).</summary>
internal sealed class RuntimeGcHeapLimit : IGcHeapLimit
{
    private RuntimeGcHeapLimit()
    {
    }

    /// <summary>Gets the one instance.</summary>
    public static RuntimeGcHeapLimit Instance { get; } = new();

    public long Read(long cgroupLimitBytes) => GcLimits.ReadHeapHardLimit(cgroupLimitBytes);

    public void Refresh() => GcLimits.Refresh();

    public void Collect() => ForcedGc.Collect();
}
