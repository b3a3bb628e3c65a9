namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>What the owner of a watched descriptor does when the kernel signals it; called on the watcher's thread.</summary>
internal interface IKernelEventHandler
{
    /// <summary>The descriptor has events; must neither block nor throw.</summary>
    /// <param name="watch">The watch that signalled.</param>
    /// <param name="events">The events <c>poll()</c> returned (<c>POLLERR</c> included when the source is gone).</param>
    void OnEvents(KernelEventWatcher.Watch watch, short events);

    /// <summary>The watcher cannot wait on the descriptor any more and stops.</summary>
    void OnFailed(KernelEventWatcher.Watch watch, string reason);
}
