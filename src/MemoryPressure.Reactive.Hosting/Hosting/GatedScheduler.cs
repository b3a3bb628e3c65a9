using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The scheduler the host gives a polling manager: it holds the manager's polling back until the
/// host starts, and reports the end of each piece of work it runs (a poll: the probe read, the
/// sample judged and every handler run) so that handler durations can be measured.
/// </summary>
/// <remarks>
/// Periodic work is handed to the inner scheduler's <c>SchedulePeriodic</c> only when the gate opens,
/// so the inner scheduler picks its own strategy then: natively on an <see cref="EventLoopScheduler"/>
/// (nothing allocated per tick by this wrapper), emulated with a stopwatch started at that moment on
/// a virtual-time scheduler. Emulating here, before the gate opens, would count the time the host
/// took to start as ticks to catch up.
/// </remarks>
internal sealed class GatedScheduler(IScheduler inner, StartGate gate, Action dispatched) : IScheduler, ISchedulerPeriodic, IServiceProvider
{
    public DateTimeOffset Now => inner.Now;

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        WhenOpen(() => inner.Schedule(state, Timed(action)));

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
        WhenOpen(() => inner.Schedule(state, dueTime, Timed(action)));

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        WhenOpen(() => inner.Schedule(state, dueTime, Timed(action)));

    public IDisposable SchedulePeriodic<TState>(TState state, TimeSpan period, Func<TState, TState> action) =>
        WhenOpen(() => inner.SchedulePeriodic(state, period, current =>
        {
            try
            {
                return action(current);
            }
            finally
            {
                dispatched();
            }
        }));

    public object? GetService(Type serviceType) => serviceType == typeof(ISchedulerPeriodic) ? this : null;

    private IDisposable WhenOpen(Func<IDisposable> schedule)
    {
        if (gate.IsOpen)
        {
            return schedule();
        }

        var work = new SingleAssignmentDisposable();
        var waiting = gate.WhenOpen(() => work.Disposable = schedule());
        return StableCompositeDisposable.Create(waiting, work);
    }

    /// <summary>Runs the action with this scheduler (so that recursive work stays gated and measured), then reports its end.</summary>
    private Func<IScheduler, TState, IDisposable> Timed<TState>(Func<IScheduler, TState, IDisposable> action) => (_, state) =>
    {
        try
        {
            return action(this, state);
        }
        finally
        {
            dispatched();
        }
    };
}
