using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive;

/// <summary>
/// The manager's polling timer: a tick at subscription, then one a check interval after each tick,
/// unless the manager asks for the next one sooner (<see cref="Sooner"/>, from the sampling pace).
/// One subscriber; ticks are emitted on the scheduler.
/// </summary>
/// <remarks>
/// Each tick schedules its successor before it is emitted, so a tick whose read fails, or that is
/// dropped while the manager is stopped, never ends polling. At rest a tick costs one scheduled item,
/// and the tick before it is dropped by a plain field rather than Rx's <c>SerialDisposable</c>, whose
/// methods would be compiled again at their thirtieth call, in the middle of a rest.
/// </remarks>
internal sealed class PollingClock(IScheduler scheduler, TimeSpan checkInterval) : IObservable<Unit>, IDisposable
{
    private readonly Lock _gate = new();
    private IDisposable? _next;
    private IObserver<Unit>? _observer;
    private DateTimeOffset _due;
    private bool _disposed;

    public IDisposable Subscribe(IObserver<Unit> observer)
    {
        _observer = observer;
        Schedule(TimeSpan.Zero);
        return this;
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
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Schedule(TimeSpan delay)
    {
        // Under the gate: once disposal has taken it, nothing reaches a scheduler that may be disposed right after.
        lock (_gate)
        {
            if (!_disposed)
            {
                _due = scheduler.Now + delay;
                var previous = _next;
                _next = scheduler.Schedule(this, delay, [MethodImpl(MethodImplOptions.AggressiveOptimization)] static (_, clock) => clock.Tick());
                previous?.Dispose();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IDisposable Tick()
    {
        // A check interval after the tick was due, not after it ran, so ticks do not drift; a clock
        // that stepped (back, or far ahead) since starts the intervals again from now.
        TimeSpan delay;
        lock (_gate)
        {
            delay = _due + checkInterval - scheduler.Now;
        }

        Schedule(delay >= TimeSpan.Zero && delay <= checkInterval ? delay : checkInterval);
        _observer?.OnNext(Unit.Default);
        return Disposable.Empty;
    }
}
