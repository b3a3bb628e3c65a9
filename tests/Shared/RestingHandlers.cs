using System.Reactive.Disposables;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// The manager an application has at rest: a three-level ladder and the handlers it subscribes (the
/// level changes, each level's entry and exit, a cleanup and a forced collection), shared by the idle
/// harness (<c>--idle</c>) and the idle contract test's child, so both measure the same thing.
/// </summary>
internal static class RestingHandlers
{
    /// <summary>Gets the ladder: each level entered by the local or the heap headroom running low.</summary>
    public static SeverityLadder Ladder() =>
        new(new LocalRelativeValue(30) | new HeapRelativeValue(30), new LocalRelativeValue(15) | new HeapRelativeValue(20), new LocalRelativeValue(5) | new HeapRelativeValue(10));

    /// <summary>Subscribes the handlers; disposing the result unsubscribes them.</summary>
    public static CompositeDisposable Subscribe(MemoryPressureManager manager)
    {
        var changes = 0;
        var cache = new List<byte[]>();
        var handlers = new CompositeDisposable { manager.Changes.Subscribe(_ => changes++), manager.InstallForceGcCollect(3) };
        for (var level = 1; level <= manager.Ladder.Count; level++)
        {
            handlers.Add(manager.Entered(level).Subscribe(_ => changes++));
            handlers.Add(manager.Left(level).Subscribe(_ => changes--));
        }

        handlers.Add(manager.CleanupOnEntered(1, cache, static c => c.Clear()));
        handlers.Add(Disposable.Create(() => GC.KeepAlive(cache)));
        return handlers;
    }
}
