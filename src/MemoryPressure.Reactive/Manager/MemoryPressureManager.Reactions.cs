using System.Reactive.Disposables;
using MemoryPressure.Reactive.Handlers;
using MemoryPressure.Reactive.Limits;
using MemoryPressure.Reactive.Reactions;

namespace MemoryPressure.Reactive;

/// <content>What a level does beyond its events: acting again while held, trimming the native heap, following a moved limit, and what each reaction freed.</content>
public sealed partial class MemoryPressureManager
{
    private readonly HandlerList<MemoryReaction> _reactions;
    private readonly HandlerList<MemorySample>[] _repeated;
    private readonly HandlerList<MemoryLimitChange> _limitChanges;
    private readonly int[] _nativeTrims;
    private readonly int _nativeTrimName;
    private readonly HeldLevels _held;
    private readonly PendingReactions _pendingReactions;
    private readonly LimitFollower _limits;
    private bool _trimAfterSample;

    /// <summary>
    /// Gets each level's reaction, on entry and each time it acts again: the level, the sample that made it
    /// act and the first sample after, so what it freed.
    /// </summary>
    /// <remarks>
    /// Published when the sample after the reaction is judged, right after <see cref="Samples"/> and before
    /// that sample's own events; a sample that enters levels 1 to 3 gives three reactions, from level 1 up.
    /// A reaction still waiting for its sample after when the manager is stopped or disposed is dropped.
    /// </remarks>
    public IObservable<MemoryReaction> Reactions => _reactions;

    /// <summary>
    /// Gets each change of a limit while the process runs: which, the bytes before and after, and what the
    /// manager did about it (<see cref="MemoryPressureOptions.FollowLimitChanges"/>).
    /// </summary>
    /// <remarks>
    /// A change is seen at the latest by the next sample. It is published once the sample that showed it has
    /// been judged (its level events, cleanup actions and forced collection) and the GC told, before
    /// <see cref="Dispatched"/>.
    /// </remarks>
    public IObservable<MemoryLimitChange> LimitChanges => _limitChanges;

    /// <summary>
    /// Gets each sample after which a level acts again: it stayed the highest level in effect while the
    /// figure its condition reads grew back by <see cref="LadderLevel.RepeatAfterGrowthPercent"/> (of the
    /// most room it saw since it last acted).
    /// </summary>
    /// <param name="level">The level, 1..N.</param>
    /// <returns>An observable of the samples that made the level act again.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    /// <remarks>
    /// A level acts again as it acts on entry, without a new <see cref="Entered"/>: this event, then its
    /// <see cref="CleanupOnEntered{T}"/> actions, then, once the sample is done, its forced collection and its
    /// native heap trim. Only the highest level in effect acts again, on a sample that did not change the
    /// level: the levels below it acted when it was entered, or when they were.
    /// </remarks>
    public IObservable<MemorySample> Repeated(int level) => _repeated[Ladder.CheckLevel(level, nameof(level))];

    /// <summary>
    /// Gives the C library's free native heap back to the kernel (<see cref="NativeHeap.Trim"/>,
    /// <c>malloc_trim(0)</c> where the C library is glibc) each time a level acts: on entry, and each time
    /// it acts again while it stays in effect.
    /// </summary>
    /// <param name="level">The level, 1..N; the default is 1.</param>
    /// <returns>A subscription whose disposal uninstalls it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N.</exception>
    /// <remarks>
    /// The trim runs once per sample, after every handler, cleanup action and forced collection of the sample
    /// (so it returns what they freed), however many levels asked for it. Where <see cref="NativeHeap.CanTrim"/>
    /// is <see langword="false"/> (musl, Windows, macOS) it does nothing; <see cref="NativeHeap.Status"/> says why.
    /// </remarks>
    public IDisposable InstallTrimNativeHeap(int level = 1)
    {
        Ladder.CheckLevel(level, nameof(level));
        lock (_gate)
        {
            if (_disposed)
            {
                return Disposable.Empty;
            }

            _nativeTrims[level]++;
        }

        return Disposable.Create(() =>
        {
            lock (_gate)
            {
                _nativeTrims[level]--;
            }
        });
    }

    /// <summary>Notes that a level acted on a sample: its forced collection and native trim are due once the sample is done.</summary>
    private void Acted(int level, MemoryReactionKind kind, in MemorySample sample)
    {
        _collectAfterSample |= _forcedCollections[level] > 0;
        _trimAfterSample |= _nativeTrims[level] > 0;
        _pendingReactions.Add(level, kind, sample);
    }

    /// <summary>Has the level held through the sample act again, as memory grew back under it.</summary>
    private void Repeat(int level, MemorySample sample)
    {
        _repeated[level].Publish(sample);
        if (!_disposed)
        {
            _cleanups.Run(level, _reportHandlerError);
            Acted(level, MemoryReactionKind.Repeated, sample);
        }
    }

    /// <summary>Tells the GC of a lowered limit or tries a refused refresh again, then publishes the sample's limit changes.</summary>
    private void FollowLimits(MemorySample sample)
    {
        if (_disposed)
        {
            return;
        }

        _limits.AfterJudging(sample);
        foreach (var change in _limits.Changes)
        {
            _limitChanges.Publish(change);
        }
    }
}
