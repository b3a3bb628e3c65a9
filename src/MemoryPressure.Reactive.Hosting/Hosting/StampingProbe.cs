using System.Reactive.Concurrency;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Stamps each sample a probe leaves unstamped with the polling scheduler's clock, as
/// <see cref="MemorySamples.Poll"/> does.
/// </summary>
/// <remarks>
/// The manager's own polling passes the probe's samples on with the timestamp the probe gave, and
/// the built-in probes leave it at its default; every sample would then carry the same time and
/// dwell times (<see cref="LadderLevel.EnterAfter"/>) and throttles could never elapse.
/// </remarks>
internal sealed class StampingProbe(IMemoryProbe probe, IScheduler scheduler) : IMemoryProbe
{
    public MemorySample Read()
    {
        var sample = probe.Read();
        return sample.Timestamp == default ? sample with { Timestamp = scheduler.Now } : sample;
    }
}
