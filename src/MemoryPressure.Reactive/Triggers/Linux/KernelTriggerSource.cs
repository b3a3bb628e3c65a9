namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>What the kernel trigger sources share: a status, the sink their requests go to, and how a watch fails.</summary>
/// <param name="source">Which source this is.</param>
/// <param name="watcher">The thread that waits on the source's descriptors.</param>
/// <param name="sink">Where requests and failures go.</param>
internal abstract class KernelTriggerSource(TriggerSource source, KernelEventWatcher watcher, ITriggerSink sink) : IKernelEventHandler
{
    public SourceStatus Status { get; } = new(source);

    protected KernelEventWatcher Watcher => watcher;

    public abstract void OnEvents(KernelEventWatcher.Watch watch, short events);

    /// <summary>Stops the watch and marks the source failed, reporting why once.</summary>
    public virtual void OnFailed(KernelEventWatcher.Watch watch, string reason)
    {
        watcher.Remove(watch);
        Fail(reason);
    }

    protected void Fail(string reason) => Status.Fail(reason, sink);

    /// <summary>Counts a signal and asks for a sample.</summary>
    protected void Signal()
    {
        Status.Signal();
        sink.Request(source);
    }

    /// <summary>Handles the signal of an eventfd registered with a v1 cgroup: a sample, or a failure when the signal told of the cgroup's removal.</summary>
    protected void OnCgroupEvent(CgroupEventControl cgroup, KernelEventWatcher.Watch watch)
    {
        if (cgroup.Acknowledge(watch.Descriptor))
        {
            Signal();
        }
        else
        {
            OnFailed(watch, $"{cgroup.Directory} was removed");
        }
    }
}
