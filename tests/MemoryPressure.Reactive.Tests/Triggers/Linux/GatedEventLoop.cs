namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// An event loop for a manager whose work waits until the test opens it: the manager's first sample,
/// which places the usage thresholds, then comes after the test has subscribed its handlers.
/// </summary>
internal sealed class GatedEventLoop : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();

    public GatedEventLoop() => Scheduler.Schedule(() => _gate.Wait());

    public EventLoopScheduler Scheduler { get; } = new();

    public void Open() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        Scheduler.Dispose();
        _gate.Dispose();
    }
}
