using System.Reactive.Disposables;
using MemoryPressure.Reactive.Handlers;

namespace MemoryPressure.Reactive;

/// <content>The observables and registrations handlers use.</content>
public sealed partial class MemoryPressureManager
{
    /// <summary>Gets every sample the manager judges, before its events.</summary>
    /// <remarks>With <see cref="MemoryPressureOptions.MaximumAvailableBytes"/> set, samples carry that limit.</remarks>
    public IObservable<MemorySample> Samples => _samples;

    /// <summary>Gets every step of the level, up and down, in order.</summary>
    public IObservable<LevelChanged> Changes => _changes;

    /// <summary>Gets the current level at subscription, then each level the manager steps to.</summary>
    /// <remarks>A jump from 0 to 3 gives 1, 2 and 3: no level is skipped.</remarks>
    public IObservable<int> Levels => _levels;

    /// <summary>Gets each return to level 0 (right after <c>Left(1)</c>); never at start-up.</summary>
    public IObservable<LevelChanged> MemoryNormal => _memoryNormal;

    /// <summary>Gets each sample once every event it caused has reached every handler, cleanup actions and forced collections included.</summary>
    /// <remarks>
    /// The last thing published for a sample, on the same thread and under the same lock as its events:
    /// a place to act once per sample after all the handlers (one collection however many levels were
    /// entered, the end of a timing).
    /// </remarks>
    public IObservable<MemorySample> Dispatched => _dispatched;

    /// <summary>Gets the exceptions of failing handlers, cleanup actions, probes, conditions and sample sources.</summary>
    /// <remarks>
    /// Each is the very exception thrown. A handler's (a subscriber, a cleanup action, the forced
    /// collection, or the <see cref="HandlerTimeoutException"/> of one still running) carries in its
    /// <see cref="Exception.Data"/> the event and level it served: read them with
    /// <see cref="HandlerFailure.TryGetHandler"/>. An exception thrown by a subscriber of
    /// <see cref="Errors"/> itself is dropped.
    /// </remarks>
    public IObservable<Exception> Errors => _errors;

    /// <summary>Gets each step into a level.</summary>
    /// <param name="level">The level, 1..N.</param>
    /// <returns>An observable of the steps whose <see cref="LevelChanged.To"/> is <paramref name="level"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    public IObservable<LevelChanged> Entered(int level) => _entered[Ladder.CheckLevel(level, nameof(level))];

    /// <summary>Gets each step out of a level.</summary>
    /// <param name="level">The level, 1..N.</param>
    /// <returns>An observable of the steps whose <see cref="LevelChanged.From"/> is <paramref name="level"/> and that go down.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    public IObservable<LevelChanged> Left(int level) => _left[Ladder.CheckLevel(level, nameof(level))];

    /// <summary>
    /// Gets the samples after which a level is still in effect and was already in effect before,
    /// at most one per <paramref name="noMoreOftenThan"/> of sample time for each subscriber.
    /// </summary>
    /// <param name="level">The level, 0..N; 0 means "memory is fine": level 0 before and after the sample.</param>
    /// <param name="noMoreOftenThan">The least sample time between two samples a subscriber gets; zero for every sample.</param>
    /// <returns>An observable of samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 0..N, or <paramref name="noMoreOftenThan"/> is negative.</exception>
    public IObservable<MemorySample> Remaining(int level, TimeSpan noMoreOftenThan = default)
    {
        var remaining = _remaining[Ladder.CheckLevel(level, nameof(level), allowZero: true)];
        ArgumentOutOfRangeException.ThrowIfLessThan(noMoreOftenThan, TimeSpan.Zero);
        return new ThrottledSamples(remaining, noMoreOftenThan);
    }

    /// <summary>
    /// Registers a cleanup action run on each entry into a level, for as long as its target lives.
    /// </summary>
    /// <typeparam name="T">The type of the target.</typeparam>
    /// <param name="level">The level, 1..N.</param>
    /// <param name="target">What to clean up (a cache, a pool); held weakly.</param>
    /// <param name="cleanup">The action, given the target; it must not capture the target itself, or the target never dies.</param>
    /// <returns>A registration whose disposal cancels it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> or <paramref name="cleanup"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Actions for a level run right after the <see cref="Entered"/> event of that level, in
    /// registration order, before anything about the next level. A target that has been collected
    /// is pruned at the next check and never called. A registration made while its level is in
    /// effect runs from the next entry on. After <see cref="Dispose"/>, registering does nothing.
    /// </remarks>
    public IDisposable CleanupOnEntered<T>(int level, T target, Action<T> cleanup)
        where T : class
    {
        Ladder.CheckLevel(level, nameof(level));
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(cleanup);
        lock (_gate)
        {
            return _disposed ? Disposable.Empty : _cleanups.Add(level, target, cleanup);
        }
    }

    /// <summary>
    /// Runs <see cref="ForcedGc.Collect"/> (a full, blocking, compacting, aggressive
    /// collection, large object heap compacted once) on each entry into a level.
    /// </summary>
    /// <param name="level">The level, 1..N; the default is 1.</param>
    /// <returns>A subscription whose disposal uninstalls it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    /// <remarks>
    /// The collection runs once the sample that entered the level has been dispatched (every step's
    /// handlers, every <see cref="CleanupOnEntered{T}"/> action and the <see cref="Remaining"/> handlers),
    /// so it reclaims what they let go of, and before <see cref="Dispatched"/>. A sample collects once,
    /// however many such levels it entered and however many times this was installed: a jump from 0 to 3
    /// under pressure costs one full collection, not three.
    /// </remarks>
    public IDisposable InstallForceGcCollect(int level = 1)
    {
        Ladder.CheckLevel(level, nameof(level));
        lock (_gate)
        {
            if (_disposed)
            {
                return Disposable.Empty;
            }

            _forcedCollections[level]++;
        }

        return Disposable.Create(() =>
        {
            lock (_gate)
            {
                _forcedCollections[level]--;
            }
        });
    }

    /// <summary>
    /// Reports an exception on <see cref="Errors"/>, for handlers that finish their work elsewhere
    /// (a dump written on the thread pool, a cache flushed asynchronously) and for extensions.
    /// </summary>
    /// <param name="error">The exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    /// <remarks>Safe from any thread: it is published in turn with the manager's events. Does nothing after <see cref="Dispose"/>.</remarks>
    public void ReportError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            PublishError(error);
        }
    }

    /// <summary>Gets the number of cleanup registrations held until the next check prunes the dead ones.</summary>
    internal int CleanupRegistrations
    {
        get
        {
            lock (_gate)
            {
                return _cleanups.Count;
            }
        }
    }

    private HandlerList<TValue> Handlers<TValue>(string name) => new(_gate, _reportHandlerError, HandlerSite.Of(name), _watchdog);

    private HandlerList<TValue>[] PerLevel<TValue>(int levels, string name)
    {
        var lists = new HandlerList<TValue>[levels + 1];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = new HandlerList<TValue>(_gate, _reportHandlerError, HandlerSite.AtLevel(name, i), _watchdog);
        }

        return lists;
    }

    // Levels first: a list's OnCompleted handler that subscribes to Levels during Dispose is then told
    // nothing but the end, where a Levels list still open would replay the level to it.
    private IEnumerable<Action> AllLists() =>
    [
        _levels.Complete, _samples.Complete, _changes.Complete, _memoryNormal.Complete,
        .. _entered.Select(l => (Action)l.Complete), .. _left.Select(l => (Action)l.Complete),
        .. _remaining.Select(l => (Action)l.Complete), .. _repeated.Select(l => (Action)l.Complete),
        _reactions.Complete, _limitChanges.Complete, _dispatched.Complete, _errors.Complete,
    ];
}
