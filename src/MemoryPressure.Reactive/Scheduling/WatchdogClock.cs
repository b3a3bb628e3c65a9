using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Scheduling;

/// <summary>
/// The handler watchdogs' clock: the system's time, with timers that fire on one background thread
/// shared by every manager of the process, never on the thread pool.
/// </summary>
/// <remarks>
/// A watchdog checks once per timeout while handlers are being called. On the pool each check woke a worker that then
/// spun (<c>sched_yield</c>) before it slept again: about 0.35 ms of CPU per second, ten times the
/// rest of an idle manager. Here a check is one wake-up of one thread. The thread starts with the first
/// timer and lives as long as the process. A report found due is published from the pool
/// (<see cref="OnThreadPool"/>), so a blocked error handler of one manager holds up a pool thread, not
/// the checks of every manager.
/// </remarks>
internal sealed class WatchdogClock : TimeProvider
{
    private readonly Lazy<SamplingThread> _thread = new(() => new SamplingThread("MemoryPressure watchdog"));

    private WatchdogClock()
    {
    }

    /// <summary>Gets the one clock of the process.</summary>
    public static WatchdogClock Instance { get; } = new();

    /// <summary>Runs a watchdog's report on the thread pool, so the shared thread never runs an application's error handler.</summary>
    public static void OnThreadPool(Action publish) => ThreadPool.UnsafeQueueUserWorkItem(static run => run(), publish, preferLocal: false);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ThreadTimer(_thread.Value, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>A timer on the watchdogs' thread: one <see cref="SamplingThread.Alarm"/>, set again after each run while it has a period.</summary>
    private sealed class ThreadTimer : ITimer
    {
        private readonly Lock _gate = new();
        private readonly SamplingThread.Alarm _alarm;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public ThreadTimer(SamplingThread thread, TimerCallback callback, object? state)
        {
            _alarm = thread.CreateAlarm(Fire);
            _callback = callback;
            _state = state;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    _alarm.Clear();
                }
                else
                {
                    _alarm.Set(dueTime);
                }

                return true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _alarm.Clear();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Fire()
        {
            _callback(_state);
            lock (_gate)
            {
                if (!_disposed && _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
                {
                    _alarm.Set(_period);
                }
            }
        }
    }
}
