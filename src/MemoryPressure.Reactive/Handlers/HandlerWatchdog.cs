using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// Notices a handler, cleanup action or forced collection that is still running after
/// <see cref="MemoryPressureOptions.HandlerTimeout"/>, and reports it once, while it still runs.
/// </summary>
/// <remarks>
/// <para>
/// The dispatching thread brackets each call with <see cref="Begin"/> and <see cref="End"/>: a counter
/// and the number of a name registered beforehand (<see cref="Name"/>) written, the second with an
/// interlocked exchange (the fence the resting timer needs), nothing allocated, no clock read. A
/// timer ticks once per timeout (on the watchdogs' own thread, <see cref="Scheduling.WatchdogClock"/>) and notes when it first saw the call in progress; a call still in
/// progress a timeout after that has run for at least the timeout, and is reported (between one and
/// two timeouts after it began). The clock is read by the tick, not assumed from the tick's period:
/// a late tick and the next one may come close together. The timer runs from <see cref="Arm"/> (the
/// manager's start) to <see cref="Dispose"/>, but rests while nothing is watched: a tick that finds no
/// call running and none begun since the tick before stops it, and the next <see cref="Begin"/>
/// starts it again, counting that call as seen at once, so it is reported one timeout after it
/// began. A manager whose handlers are not called (at rest, with no handler of every sample) costs
/// the watchdog's thread no wake-up at all.
/// </para>
/// <para>
/// The report must not wait for the blocked thread, which holds the manager's lock: it goes through
/// <c>tryReport</c>, which publishes on <see cref="MemoryPressureManager.Errors"/> under that list's own
/// lock if it is free, and otherwise (an error handler is itself running, perhaps the blocked one)
/// declines, to be tried again at the next tick. The report is handed to <c>dispatch</c> (the thread
/// pool, for the manager), so the thread that ticks never runs an application's error handler: one
/// that blocks holds up a pool thread, not every manager's watchdog.
/// </para>
/// </remarks>
internal sealed class HandlerWatchdog : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly Func<int> _level;
    private readonly Func<Exception, bool> _tryReport;
    private readonly TimeProvider _time;
    private readonly Action<Action> _dispatch;
    private readonly Lock _sync = new();
    private ITimer? _timer;
    private bool _disposed;
    private HandlerSite[] _names = [HandlerSite.Of(string.Empty)];
    private int _running;
    private long _call;
    private long _seenCall = -1;
    private long _seenAt;
    private long _reportedCall = -1;
    private long _tickedCall;
    private bool _reporting;
    private volatile bool _resting;

    private HandlerWatchdog(TimeSpan timeout, Func<int> level, Func<Exception, bool> tryReport, TimeProvider time, Action<Action> dispatch)
    {
        _timeout = timeout;
        _level = level;
        _tryReport = tryReport;
        _time = time;
        _dispatch = dispatch;
    }

    /// <summary>Creates a watchdog, or returns <see langword="null"/> when the timeout is infinite.</summary>
    /// <param name="timeout">How long a call may run before it is reported.</param>
    /// <param name="level">Reads the manager's current level, named in the report.</param>
    /// <param name="tryReport">Publishes a report if that does not have to wait; says whether it did.</param>
    /// <param name="time">The clock of the timer: real time, or a fake one in tests.</param>
    /// <param name="dispatch">Runs a report's publication elsewhere than on the ticking thread; <see langword="null"/> runs it there, at once (tests).</param>
    public static HandlerWatchdog? Create(TimeSpan timeout, Func<int> level, Func<Exception, bool> tryReport, TimeProvider time, Action<Action>? dispatch = null) =>
        timeout == Timeout.InfiniteTimeSpan ? null : new HandlerWatchdog(timeout, level, tryReport, time, dispatch ?? (static publish => publish()));

    /// <summary>Starts the timer; does nothing when it runs or the watchdog was disposed.</summary>
    public void Arm()
    {
        lock (_sync)
        {
            if (!_disposed)
            {
                _timer ??= _time.CreateTimer([MethodImpl(MethodImplOptions.AggressiveOptimization)] static (state) => ((HandlerWatchdog)state!).Tick(), this, _timeout, _timeout);
            }
        }
    }

    /// <summary>Registers what a kind of call serves, as a report names and labels it, before its calls begin.</summary>
    /// <param name="what">The handlers: their description (<c>Entered(2)</c>, <c>the cleanup actions of level 2</c>), event and level.</param>
    /// <returns>The number to pass to <see cref="Begin"/>.</returns>
    public int Name(HandlerSite what)
    {
        lock (_sync)
        {
            _names = [.. _names, what];
            return _names.Length - 1;
        }
    }

    /// <summary>Marks the start of a call; called on the dispatching thread only.</summary>
    /// <param name="what">What runs, as registered by <see cref="Name"/>.</param>
    /// <remarks>
    /// The exchange is a full fence: the call is published before the timer's state is read, as
    /// <see cref="TryRest"/> publishes the rest before it reads the call, so a call never begins
    /// unseen by a timer that stops.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Begin(int what)
    {
        Volatile.Write(ref _call, _call + 1);
        Interlocked.Exchange(ref _running, what);
        if (_resting)
        {
            Wake();
        }
    }

    /// <summary>Marks the end of the call begun last.</summary>
    public void End() => Volatile.Write(ref _running, 0);

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    /// <summary>Makes the report of a call of <paramref name="site"/>, labelled as a failure of its handler.</summary>
    private HandlerTimeoutException Report(HandlerSite site)
    {
        var level = _level();
        var report = new HandlerTimeoutException(site.Description, level, _timeout);
        site.Attach(report, level);
        return report;
    }

    /// <summary>Starts the resting timer again for the call that began: it counts as seen now.</summary>
    private void Wake()
    {
        lock (_sync)
        {
            if (!_resting || _disposed)
            {
                return;
            }

            _resting = false;
            var call = Volatile.Read(ref _call);
            (_seenCall, _seenAt, _tickedCall) = (call, _time.GetTimestamp(), call);
            _timer!.Change(_timeout, _timeout);
        }
    }

    /// <summary>Stops the timer, under the lock, unless a call began since <paramref name="call"/> was read.</summary>
    private void TryRest(long call)
    {
        _resting = true;
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _running) != 0 || Volatile.Read(ref _call) != call)
        {
            // Begun meanwhile: its Begin may have missed the rest, so the timer goes on.
            _resting = false;
            return;
        }

        _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tick()
    {
        long call;
        HandlerTimeoutException report;

        // Ticks do not overlap on the watchdogs' one thread; the lock keeps a clock that runs them elsewhere (a test's) safe too.
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            var running = Volatile.Read(ref _running);
            call = Volatile.Read(ref _call);
            var ticked = _tickedCall;
            _tickedCall = call;
            if (running == 0)
            {
                _seenCall = -1;
                if (call == ticked)
                {
                    TryRest(call);
                }

                return;
            }

            if (call != _seenCall)
            {
                (_seenCall, _seenAt) = (call, _time.GetTimestamp());
                return;
            }

            if (call == _reportedCall || _reporting || _time.GetElapsedTime(_seenAt) < _timeout)
            {
                return;
            }

            _reporting = true;
            report = Report(_names[running]);
        }

        Dispatch(call, report);
    }

    /// <summary>Hands the report's publication to the dispatcher: a method of its own, so that a tick that reports nothing allocates no closure.</summary>
    private void Dispatch(long call, HandlerTimeoutException report) => _dispatch(() => Publish(call, report));

    private void Publish(long call, HandlerTimeoutException report)
    {
        var reported = _tryReport(report);
        lock (_sync)
        {
            _reporting = false;
            if (reported)
            {
                _reportedCall = call;
            }
        }
    }
}
