using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Scheduling;

/// <summary>
/// The manager's polling timer: a tick at subscription, then one a check interval after each tick,
/// unless the manager asks for the next one sooner (<see cref="Sooner"/>, from the sampling pace).
/// Ticks go to the one observer given at construction, on the scheduler, from <see cref="Start"/> on.
/// </summary>
/// <remarks>
/// Each tick schedules its successor before it is emitted, so a tick whose read fails, or that is
/// dropped while the manager is stopped, never ends polling. On the manager's own thread a tick sets
/// one <see cref="SamplingThread.Alarm"/> again, and nothing is allocated; on a scheduler given, each
/// tick is an item scheduled on it, and the tick before it is dropped by a plain field rather than
/// Rx's <c>SerialDisposable</c>, whose methods would be compiled again at their thirtieth call, in the
/// middle of a rest. For the same reason it keeps time in ticks, not in <see cref="DateTimeOffset"/>
/// arithmetic.
/// </remarks>
/// <param name="scheduler">Where ticks are timed and run.</param>
/// <param name="checkInterval">The time between ticks when nothing asks for one sooner.</param>
/// <param name="ticks">What each tick is given to.</param>
internal sealed class PollingClock(IScheduler scheduler, TimeSpan checkInterval, IObserver<Unit> ticks) : IDisposable
{
    private static readonly Func<IScheduler, PollingClock, IDisposable> TickAction = static (_, clock) => clock.Tick();

    private readonly Lock _gate = new();
    private SamplingThread.Alarm? _alarm;
    private IDisposable? _next;
    private long _dueTicks;
    private bool _disposed;

    /// <summary>Schedules the first tick, at once.</summary>
    public void Start()
    {
        _alarm = (scheduler as SamplingThread)?.CreateAlarm(OnAlarm);
        Schedule(TimeSpan.Zero);
    }

    /// <summary>Moves the next tick to <paramref name="delay"/> from now, when that is sooner than a check interval.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Sooner(TimeSpan delay)
    {
        if (delay < checkInterval)
        {
            Schedule(delay);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _next?.Dispose();
            _alarm?.Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Schedule(TimeSpan delay)
    {
        lock (_gate)
        {
            ScheduleLocked(scheduler.Now.UtcTicks, delay);
        }
    }

    /// <summary>Sets the next tick <paramref name="delay"/> after <paramref name="now"/>; called under the gate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScheduleLocked(long now, TimeSpan delay)
    {
        // Under the gate: once disposal has taken it, nothing reaches a scheduler that may be disposed right after.
        if (_disposed)
        {
            return;
        }

        _dueTicks = now + delay.Ticks;
        if (_alarm is { } alarm)
        {
            alarm.Set(delay);
            return;
        }

        var previous = _next;
        _next = scheduler.Schedule(this, delay, TickAction);
        previous?.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnAlarm() => Tick();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IDisposable Tick()
    {
        // A check interval after the tick was due, not after it ran, so ticks do not drift; a clock
        // that stepped (back, or far ahead) since starts the intervals again from now.
        lock (_gate)
        {
            var now = scheduler.Now.UtcTicks;
            var delay = TimeSpan.FromTicks(_dueTicks + checkInterval.Ticks - now);
            ScheduleLocked(now, delay >= TimeSpan.Zero && delay <= checkInterval ? delay : checkInterval);
        }

        ticks.OnNext(Unit.Default);
        return Disposable.Empty;
    }
}
