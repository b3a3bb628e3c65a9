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
internal sealed class PressureLevelSource : IKernelEventHandler
{
    private readonly CgroupEventControl _cgroup;
    private readonly ITriggerSink _sink;
    private readonly KernelEventWatcher _watcher;

    private PressureLevelSource(CgroupEventControl cgroup, ITriggerSink sink, KernelEventWatcher watcher)
    {
        _cgroup = cgroup;
        _sink = sink;
        _watcher = watcher;
    }

    public SourceStatus Status { get; } = new(TriggerSource.PressureLevel);

    public static PressureLevelSource Start(CgroupEventControl cgroup, CgroupPressureLevel level, KernelEventWatcher watcher, ITriggerSink sink)
    {
        var source = new PressureLevelSource(cgroup, sink, watcher);
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

    public void OnEvents(KernelEventWatcher.Watch watch, short events)
    {
        if (!_cgroup.Acknowledge(watch.Descriptor))
        {
            OnFailed(watch, $"{_cgroup.Directory} was removed");
            return;
        }

        Status.Signal();
        _sink.Request(TriggerSource.PressureLevel);
    }

    public void OnFailed(KernelEventWatcher.Watch watch, string reason)
    {
        _watcher.Remove(watch);
        Status.Fail(reason, _sink);
    }
}
