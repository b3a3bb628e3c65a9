using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// The manager's weak cleanup registrations, by level. Targets are held weakly: a registration
/// whose target was collected is pruned and never called.
/// </summary>
/// <remarks>
/// Not thread-safe by itself: the manager adds, prunes and runs under its gate. Cancelling a
/// registration only marks it (from any thread); the next prune removes it. A prune walks the
/// registrations only when one was cancelled or a garbage collection ran since the last walk (a
/// target dies only in a collection), so at rest it costs one comparison. <see cref="Run"/> walks
/// by index up to the count it started with, so a registration added by a cleanup action runs
/// from the next entry on.
/// </remarks>
internal sealed class CleanupRegistry
{
    private readonly List<Registration>[] _byLevel;
    private readonly HandlerWatchdog? _watchdog;
    private readonly HandlerSite[] _sites;
    private readonly int[] _names;
    private int _collectionsAtLastWalk = -1;
    private volatile bool _cancelledSinceLastWalk;

    /// <param name="levels">The number of levels of the ladder.</param>
    /// <param name="watchdog">Times each action, or <see langword="null"/>.</param>
    /// <param name="handlerEvent">The manager's method that registers the actions, named in their failures.</param>
    public CleanupRegistry(int levels, HandlerWatchdog? watchdog, string handlerEvent)
    {
        _watchdog = watchdog;
        _byLevel = new List<Registration>[levels + 1];
        _sites = new HandlerSite[levels + 1];
        _names = new int[levels + 1];
        for (var i = 0; i < _byLevel.Length; i++)
        {
            _byLevel[i] = [];
            _sites[i] = HandlerSite.Cleanup(handlerEvent, i);
            _names[i] = watchdog?.Name(_sites[i]) ?? 0;
        }
    }

    /// <summary>Gets the number of registrations held, dead or alive, until the next prune.</summary>
    public int Count => _byLevel.Sum(l => l.Count);

    public IDisposable Add<T>(int level, T target, Action<T> cleanup)
        where T : class
    {
        var registration = new Registration<T>(this, target, cleanup);
        _byLevel[level].Add(registration);
        return registration;
    }

    /// <summary>Removes registrations that were cancelled or whose target was collected.</summary>
    /// <remarks>
    /// A list left mostly empty gives its storage back, so a burst of short-lived registrations
    /// does not pin its peak size for the life of the manager; the shrink is rare, so pruning
    /// still allocates nothing in steady state.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Prune()
    {
        // Every collection, of any generation, counts as one of generation 0.
        var collections = GC.CollectionCount(0);
        if (collections == _collectionsAtLastWalk && !_cancelledSinceLastWalk)
        {
            return;
        }

        _collectionsAtLastWalk = collections;
        _cancelledSinceLastWalk = false;
        foreach (var registrations in _byLevel)
        {
            if (registrations.Count > 0 && registrations.RemoveAll(static r => r.IsDead) > 0 && registrations.Capacity > 64 && registrations.Count < registrations.Capacity / 4)
            {
                registrations.Capacity = registrations.Count * 2;
            }
        }
    }

    /// <summary>Runs the live registrations of a level, in registration order, reporting each failure with the level's site.</summary>
    public void Run(int level, Action<Exception, HandlerSite> reportError)
    {
        var registrations = _byLevel[level];
        var count = registrations.Count;
        for (var i = 0; i < count && i < registrations.Count; i++)
        {
            _watchdog?.Begin(_names[level]);
            try
            {
                registrations[i].Run();
            }
            catch (Exception e)
            {
                _watchdog?.End();
                reportError(e, _sites[level]);
                continue;
            }

            _watchdog?.End();
        }
    }

    public void Clear()
    {
        foreach (var registrations in _byLevel)
        {
            registrations.Clear();
        }
    }

    private abstract class Registration(CleanupRegistry owner) : IDisposable
    {
        private volatile bool _cancelled;

        public bool IsDead => _cancelled || !IsAlive;

        protected abstract bool IsAlive { get; }

        public void Run()
        {
            if (!_cancelled)
            {
                RunOnLiveTarget();
            }
        }

        public void Dispose()
        {
            _cancelled = true;
            owner._cancelledSinceLastWalk = true;
        }

        protected abstract void RunOnLiveTarget();
    }

    private sealed class Registration<T>(CleanupRegistry owner, T target, Action<T> cleanup) : Registration(owner)
        where T : class
    {
        private readonly WeakReference<T> _target = new(target);

        protected override bool IsAlive => _target.TryGetTarget(out _);

        protected override void RunOnLiveTarget()
        {
            if (_target.TryGetTarget(out var target))
            {
                cleanup(target);
            }
        }
    }
}
