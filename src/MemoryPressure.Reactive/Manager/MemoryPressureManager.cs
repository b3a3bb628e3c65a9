using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using MemoryPressure.Reactive.Handlers;
using MemoryPressure.Reactive.Ladder;
using MemoryPressure.Reactive.Limits;
using MemoryPressure.Reactive.Pacing;
using MemoryPressure.Reactive.Probes;
using MemoryPressure.Reactive.Reactions;
using MemoryPressure.Reactive.Scheduling;

namespace MemoryPressure.Reactive;

/// <summary>
/// Watches memory, walks a <see cref="SeverityLadder"/> one level at a time, and tells handlers,
/// in order, when a level is entered, left, or still in effect.
/// </summary>
/// <remarks>
/// <para>
/// The manager starts at construction, or at <see cref="Start"/> when
/// <see cref="MemoryPressureOptions.AutoStart"/> is <see langword="false"/>: it polls
/// <see cref="MemoryPressureOptions.Probe"/> at once and then every <see cref="MemoryPressureOptions.CheckInterval"/>
/// on its scheduler, or judges the samples of <see cref="MemoryPressureOptions.Samples"/> on the thread
/// that delivers them. Samples are judged one at a time. Any number of managers may exist side by side.
/// </para>
/// <para>For each sample, in this order:</para>
/// <list type="number">
/// <item><description><see cref="Samples"/> gets the sample.</description></item>
/// <item><description>
/// For each step of the level (0 to 3 is three steps), <see cref="SeverityLevel"/> becomes the step's
/// level, then <see cref="Changes"/>, <see cref="Levels"/>, then <see cref="Entered"/> of the level entered
/// followed by its <see cref="CleanupOnEntered{T}"/> actions, or <see cref="Left"/> of the level left
/// followed, on the way back to 0, by <see cref="MemoryNormal"/>.
/// </description></item>
/// <item><description><see cref="Remaining"/> of each level in effect both before and after the sample, lowest first.</description></item>
/// <item><description>One forced collection, if the sample entered a level with <see cref="InstallForceGcCollect"/>.</description></item>
/// <item><description><see cref="Dispatched"/> gets the sample.</description></item>
/// </list>
/// <para>
/// Every event reaches all its subscribers, in subscription order, before the next is published.
/// A subscriber or cleanup action that throws is reported on <see cref="Errors"/> and stays
/// subscribed; the others still run and monitoring goes on. So does a probe or condition that
/// throws: the level stays as it was for that sample.
/// </para>
/// <para>
/// Handlers run on the manager's sampling thread while it holds its lock: they should be quick,
/// and must not wait for another thread that is itself using the manager. Subscribing, or disposing a
/// subscription, on another thread waits for the sample being dispatched, so when a subscription's
/// <see cref="IDisposable.Dispose"/> returns its handler is neither running nor called again.
/// </para>
/// <para>
/// The lock is not fair: a thread that runs may take it ahead of one woken to take it, until that
/// one has waited about 100 ms. A manager that polls rests between samples, so a subscribe or
/// dispose waits at most for the sample in hand. Under samples fed through
/// <see cref="MemoryPressureOptions.Samples"/> back to back, the feeding thread takes the lock again
/// at once, and a subscribe or dispose on another thread may wait behind many samples: measured on
/// two cores, single calls waited up to 12 ms alone and up to 106 ms beside a busy loop on each core
/// (against at most 9 ms, 99% under 0.05 ms, for a polling manager).
/// </para>
/// </remarks>
public sealed partial class MemoryPressureManager : IDisposable
{
    private static readonly HandlerSite ForcedCollectionSite = HandlerSite.Of(nameof(InstallForceGcCollect), "the forced collection");
    private static readonly HandlerSite NativeTrimSite = HandlerSite.Of(nameof(InstallTrimNativeHeap), "the native heap trim");

    private readonly Lock _gate = new();

    // The error list's own lock, taken inside the gate or alone: the watchdog reports without waiting
    // for the gate, which a blocked handler holds.
    private readonly Lock _errorsGate = new();
    private readonly HandlerWatchdog? _watchdog;
    private readonly LadderState _state;
    private readonly CleanupRegistry _cleanups;
    private readonly Queue<MemorySample> _pending = new(4);
    private readonly long? _maximumAvailableBytes;
    private readonly IMemoryProbe _probe;
    private readonly IObservable<MemorySample>? _feed;
    private readonly IScheduler? _scheduler;
    private readonly TimeSpan _checkInterval;
    private readonly SamplingPacer _pacer;
    private readonly MemoryPressureTriggers _triggerOptions;
    private readonly HandlerList<MemorySample> _samples;
    private readonly HandlerList<LevelChanged> _changes;
    private readonly LatestValueList<int> _levels;
    private readonly HandlerList<LevelChanged>[] _entered;
    private readonly HandlerList<LevelChanged>[] _left;
    private readonly int[] _forcedCollections;
    private readonly int _forcedCollectionName;
    private readonly HandlerList<MemorySample>[] _remaining;
    private readonly HandlerList<LevelChanged> _memoryNormal;
    private readonly HandlerList<Exception> _errors;
    private readonly HandlerList<MemorySample> _dispatched;
    private readonly Action<Exception, HandlerSite> _reportHandlerError;
    private IDisposable? _source;
    private PollingClock? _clock;
    private MemorySample? _lastJudged;
    private SamplingThread? _ownedScheduler;
    // The level of the step being published, readable from any thread (SeverityLevel). The ladder keeps
    // where the sample's steps end (LadderState.Level), and Levels the last level it told its observers.
    private volatile int _severityLevel;
    private bool _dispatching;
    private bool _collectAfterSample;
    private volatile bool _stopped;
    private volatile bool _disposed;

    /// <summary>Initializes a manager and, unless <see cref="MemoryPressureOptions.AutoStart"/> is <see langword="false"/>, starts watching memory.</summary>
    /// <param name="ladder">The levels of pressure.</param>
    /// <param name="options">Where samples come from and how time is kept; <see langword="null"/> for the defaults. Read here, once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ladder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> break a rule between options (<see cref="MemoryPressureOptions.Validate"/>).</exception>
    public MemoryPressureManager(SeverityLadder ladder, MemoryPressureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        options ??= new MemoryPressureOptions();
        options.Validate();
        Ladder = ladder;
        _state = new LadderState(ladder);
        _watchdog = HandlerWatchdog.Create(options.HandlerTimeout, () => _severityLevel, TryReportFromWatchdog, WatchdogClock.Instance, WatchdogClock.OnThreadPool);
        _cleanups = new CleanupRegistry(ladder.Count, _watchdog, nameof(CleanupOnEntered));
        _maximumAvailableBytes = options.MaximumAvailableBytes;
        _probe = options.Probe ?? MemoryProbe.Default;
        _feed = options.Samples;
        _scheduler = options.Scheduler;
        _checkInterval = options.CheckInterval;
        _pacer = new SamplingPacer(ladder, options.CheckInterval, options.SamplingFloor, options.SamplingHorizon);
        _triggerOptions = options.Triggers;

        // Errors of the error handlers themselves have nowhere left to go.
        _errors = new HandlerList<Exception>(_errorsGate, static (_, _) => { }, HandlerSite.Of(nameof(Errors)));
        _reportHandlerError = ReportHandlerError;
        _samples = Handlers<MemorySample>(nameof(Samples));
        _changes = Handlers<LevelChanged>(nameof(Changes));
        _levels = new LatestValueList<int>(Handlers<int>(nameof(Levels)), 0);
        _memoryNormal = Handlers<LevelChanged>(nameof(MemoryNormal));
        _entered = PerLevel<LevelChanged>(ladder.Count, nameof(Entered));
        _left = PerLevel<LevelChanged>(ladder.Count, nameof(Left));
        _forcedCollections = new int[ladder.Count + 1];
        _forcedCollectionName = _watchdog?.Name(ForcedCollectionSite) ?? 0;
        _remaining = PerLevel<MemorySample>(ladder.Count, nameof(Remaining));
        _dispatched = Handlers<MemorySample>(nameof(Dispatched));
        _reactions = Handlers<MemoryReaction>(nameof(Reactions));
        _repeated = PerLevel<MemorySample>(ladder.Count, nameof(Repeated));
        _limitChanges = Handlers<MemoryLimitChange>(nameof(LimitChanges));
        _nativeTrims = new int[ladder.Count + 1];
        _nativeTrimName = _watchdog?.Name(NativeTrimSite) ?? 0;
        _held = new HeldLevels(ladder);
        _pendingReactions = new PendingReactions(ladder.Count);
        // Samples fed from elsewhere (a replay, a simulation) say nothing of this process's GC at start.
        var followAtStart = options.Samples is null || options.GcHeapLimit != RuntimeGcHeapLimit.Instance;
        _limits = new LimitFollower(options.FollowLimitChanges, followAtStart, options.CheckInterval, options.GcHeapLimit, PublishError);

        if (options.AutoStart)
        {
            Start();
        }
    }

    /// <summary>Gets the levels this manager walks.</summary>
    public SeverityLadder Ladder { get; }

    /// <summary>Gets the current level: 0 when memory is fine, up to <see cref="SeverityLadder.Count"/>.</summary>
    /// <remarks>During a step's events it is already the step's <see cref="LevelChanged.To"/>.</remarks>
    public int SeverityLevel
    {
        get => _severityLevel;
    }

    /// <summary>Gets whether the manager has started watching memory.</summary>
    /// <remarks>Read without the manager's lock, so a blocked handler does not hold it up.</remarks>
    public bool IsStarted => Volatile.Read(ref _source) is not null;

    /// <summary>Gets whether evaluation is paused by <see cref="Stop"/>.</summary>
    public bool IsStopped => _stopped;

    /// <summary>
    /// Starts watching memory: the first sample is read at once (or the sample source subscribed),
    /// then the polling timer and the trigger sources run. Does nothing when already started.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The manager has been disposed.</exception>
    /// <remarks>
    /// Until then nothing is read, and no thread, timer, descriptor or trigger exists: handlers and
    /// registrations can be set up first. A start that fails (a trigger source or the scheduler
    /// refused) leaves nothing running and can be tried again.
    /// </remarks>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_source is null)
            {
                _source = _feed is { } feed ? feed.Subscribe(OnSample, OnSourceError) : StartPolling();
                _watchdog?.Arm();
            }
        }
    }

    /// <summary>Pauses evaluation: samples are neither taken nor judged and no events are published; the level is kept.</summary>
    /// <remarks>When it returns, no handler runs until <see cref="Resume"/> (unless called from a handler, whose sample finishes). Does nothing after <see cref="Dispose"/>.</remarks>
    public void Stop()
    {
        lock (_gate)
        {
            // Samples fed from handlers and not judged yet are dropped with the rest while stopped,
            // rather than judged after newer ones on resuming.
            _stopped = true;
            _pending.Clear();
            _pendingReactions.Clear();
        }
    }

    /// <summary>Resumes evaluation paused by <see cref="Stop"/>, from the level it kept.</summary>
    /// <remarks>Does nothing after <see cref="Dispose"/>.</remarks>
    public void Resume()
    {
        lock (_gate)
        {
            _stopped = false;
        }
    }

    /// <summary>Stops sampling and completes every observable of the manager, once.</summary>
    /// <remarks>
    /// Idempotent and safe from any thread, including from inside a handler. When it returns no
    /// handler runs any more (from inside a handler: no other handler of the current sample runs).
    /// Afterwards subscriptions complete at once and registrations are ignored.
    /// </remarks>
    public void Dispose()
    {
        IDisposable? source;
        SamplingThread? ownedScheduler;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _cleanups.Clear();
            _pending.Clear();
            _pendingReactions.Clear();
            foreach (var list in AllLists())
            {
                list();
            }

            (source, ownedScheduler) = (_source, _ownedScheduler);
        }

        source?.Dispose();
        ownedScheduler?.Dispose();
        _watchdog?.Dispose();
    }

    /// <summary>
    /// Starts the trigger sources and the polling: the probe is read at once, every check interval and
    /// on each coalesced trigger request, on the scheduler given or on a dedicated background thread of
    /// the manager's own (so a starved thread pool under pressure does not delay it), unless paused.
    /// </summary>
    private CompositeDisposable StartPolling()
    {
        var owned = _scheduler is null
            ? new SamplingThread(nameof(MemoryPressureManager))
            : null;
        var scheduler = _scheduler ?? owned!;
        var sources = new CompositeDisposable();
        try
        {
            var triggers = StartTriggers(_triggerOptions, scheduler);
            sources.Add(triggers);
            var reads = new PolledReads(this, scheduler);
            var clock = new PollingClock(scheduler, _checkInterval, reads);
            sources.Add(clock);
            _clock = clock;
            sources.Add(triggers.Requests.Subscribe(reads));
            clock.Start();
        }
        catch
        {
            // A trigger source or the scheduler refused: leave no thread, descriptor or timer behind.
            sources.Dispose();
            owned?.Dispose();
            _triggers = null;
            throw;
        }

        _ownedScheduler = owned;
        return sources;
    }
}
