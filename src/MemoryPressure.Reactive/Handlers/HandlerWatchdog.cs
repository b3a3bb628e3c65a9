using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// Notices a handler, cleanup action or forced collection that is still running after
/// <see cref="MemoryPressureOptions.HandlerTimeout"/>, and reports it once, while it still runs.
/// </summary>
/// <remarks>
/// <para>
/// The dispatching thread brackets each call with <see cref="Begin"/> and <see cref="End"/>, which
/// change one word: the count of calls begun and the number of the call running, a name registered
/// beforehand (<see cref="Name"/>); nothing allocated, no clock read. A timer ticks once per timeout
/// (on the watchdogs' own thread, <see cref="Scheduling.WatchdogClock"/>) and notes when it first saw
/// the call in progress; a call still in progress a timeout after that has run for at least the
/// timeout, and is reported (between one and two timeouts after it began). The clock is read by the
/// tick, not assumed from the tick's period: a late tick and the next one may come close together.
/// The timer runs from <see cref="Arm"/> (the manager's start) to <see cref="Dispose"/>, but rests
/// while nothing is watched: a tick that finds no call running and none begun since the tick before
/// marks the word resting, by a compare-and-swap that fails if a call began meanwhile, and stops the
/// timer. The <see cref="Begin"/> that clears that mark starts it again, counting its call as seen at
/// once, so it is reported one timeout after it began. A manager whose handlers are not called (at
/// rest, with no handler of every sample) costs the watchdog's thread no wake-up at all.
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
    private const long NameMask = (1 << 24) - 1;
    private const long Resting = 1 << 24;
    private const int CountShift = 25;
    private readonly TimeSpan _timeout;
    private readonly Func<int> _level;
    private readonly Func<Exception, bool> _tryReport;
    private readonly TimeProvider _time;
    private readonly Action<Action> _dispatch;
    private readonly Lock _sync = new();
    private ITimer? _timer;
    private bool _disposed;
    private HandlerSite[] _names = [HandlerSite.Of(string.Empty)];

    // The dispatching thread's side, one word changed by single atomic steps: the count of calls begun
    // (from bit 25 up, wrapping after 2^39 calls, too many to meet an old count again), the resting mark
    // (bit 24), the name of the call running (bits 0 to 23, 0: none).
    private long _word;

    // The ticks' side, under the lock: the count at the tick before (or at the Begin that woke the
    // timer), since when the call running then has been seen, the call last reported, and whether a
    // report is out for publication.
    private long _tickedCall;
    private long _seenAt;
    private long _reportedCall = -1;
    private bool _reporting;

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
            if (_names.Length > NameMask)
            {
                throw new InvalidOperationException($"A watchdog names at most {NameMask} kinds of call.");
            }

            _names = [.. _names, what];
            return _names.Length - 1;
        }
    }

    /// <summary>Marks the start of a call; called on the dispatching thread only.</summary>
    /// <param name="what">What runs, as registered by <see cref="Name"/>.</param>
    /// <remarks>
    /// Only this thread (the one holding the manager's lock) changes the count and the name, so the
    /// new word is computed from one read; the exchange's old value says whether a tick has marked the
    /// word resting, and so stopped the timer or is about to under its lock, which <see cref="Wake"/> waits for.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Begin(int what)
    {
        Debug.Assert(what > 0, "a call is named by a number Name gave");
        var next = (Volatile.Read(ref _word) & ~(NameMask | Resting)) + (1L << CountShift) + what;
        if ((Interlocked.Exchange(ref _word, next) & Resting) != 0)
        {
            Wake(next >> CountShift);
        }
    }

    /// <summary>Marks the end of the call begun last; called only after <see cref="Begin"/>.</summary>
    /// <remarks>
    /// No tick marks the word resting while a call runs, so nothing else changes it meanwhile. With no
    /// call running, this write could clear a mark a tick had just set, and the timer would not start again.
    /// </remarks>
    public void End()
    {
        Debug.Assert((_word & NameMask) != 0, "End follows a Begin");
        Volatile.Write(ref _word, _word & ~NameMask);
    }

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

    /// <summary>Starts the resting timer again for the call that cleared the mark: it counts as seen now.</summary>
    /// <param name="call">The call's count.</param>
    private void Wake(long call)
    {
        // The tick that marked the word resting stops the timer under the lock: this waits for it.
        lock (_sync)
        {
            if (!_disposed)
            {
                (_tickedCall, _seenAt) = (call, _time.GetTimestamp());
                _timer!.Change(_timeout, _timeout);
            }
        }
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

            var word = Volatile.Read(ref _word);
            var running = (int)(word & NameMask);
            call = word >> CountShift;
            var ticked = _tickedCall;
            _tickedCall = call;
            if (running == 0)
            {
                // Nothing begun since the tick before: rest, unless a Begin changes the word first.
                if (call == ticked && Interlocked.CompareExchange(ref _word, word | Resting, word) == word)
                {
                    _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            if (call != ticked)
            {
                _seenAt = _time.GetTimestamp();
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
