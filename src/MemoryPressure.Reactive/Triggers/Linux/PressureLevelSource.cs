using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// Requests a sample when the cgroup v1 memory controller reports reclaim pressure at a level or
/// above (<c>memory.pressure_level</c>, notified through <c>cgroup.event_control</c>).
/// </summary>
/// <remarks>
/// The kernel signals every reclaim window under pressure; the eventfd counts them and the watcher's
/// quiet period lets at most one wake-up through per gap. "low" is not offered: it fires on all
/// ordinary reclaim.
/// </remarks>
internal sealed class PressureLevelSource(CgroupEventControl cgroup, KernelEventWatcher watcher, ITriggerSink sink)
    : KernelTriggerSource(TriggerSource.PressureLevel, watcher, sink)
{
    public static PressureLevelSource Start(CgroupEventControl cgroup, CgroupPressureLevel level, KernelEventWatcher watcher, ITriggerSink sink)
    {
        var source = new PressureLevelSource(cgroup, watcher, sink);
        var path = Path.Combine(cgroup.Directory, "memory.pressure_level");
        var name = level == CgroupPressureLevel.Critical ? "critical" : "medium";
        using var target = Libc.Open(path, Libc.ReadOnly, out var errno);
        var eventFd = target.IsInvalid ? target : cgroup.Register(target, name, out errno);
        if (eventFd.IsInvalid)
        {
            source.Status.Set(TriggerState.Unavailable, $"\"{name}\" on {path} refused: {Libc.Describe(errno)}");
            return source;
        }

        source.Status.Set(TriggerState.Active, $"\"{name}\" and above on {path}");
        watcher.Add(eventFd, Libc.PollIn, source);
        return source;
    }

    public override void OnEvents(KernelEventWatcher.Watch watch, short events) => OnCgroupEvent(cgroup, watch);
}
