using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// The one coalescer of sample requests: the operator that turns the merged requests of every push
/// source into sample times on the manager's scheduler, by the state machine
/// <see cref="SampleRequestCoalescer"/> below it in this file; one instance per subscription.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>input</term><description>emitted</description></listheader>
/// <item><term>a request, none pending</term><description><see cref="Unit"/> on the scheduler, at once or at the end of the gap since the last one</description></item>
/// <item><term>a request, one pending</term><description>nothing more</description></item>
/// <item><term>completion</term><description>the pending item if any, then completion</description></item>
/// <item><term>error</term><description>the error, at once; a pending item is dropped</description></item>
/// <item><term>disposal</term><description>nothing more; a pending item is cancelled</description></item>
/// </list>
/// Requests may come from any thread; items are emitted only from the scheduler.
/// </remarks>
internal sealed class CoalescedRequests : IObserver<TriggerSource>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly IObserver<Unit> _observer;
    private readonly IScheduler _scheduler;
    private readonly SampleRequestCoalescer _coalescer;
    private readonly SerialDisposable _pending = new();
    private bool _completeAfterPending;
    private bool _done;

    private CoalescedRequests(IObserver<Unit> observer, TimeSpan minimumGap, IScheduler scheduler)
    {
        _observer = observer;
        _scheduler = scheduler;
        _coalescer = new SampleRequestCoalescer(minimumGap);
    }

    /// <summary>Coalesces <paramref name="requests"/>: each subscription gets a coalescer of its own.</summary>
    /// <remarks>
    /// A plain observable rather than <c>Observable.Create</c>: Rx subscribes through its
    /// current-thread scheduler, whose first use starts Rx's clock-change monitor, a thread-pool timer
    /// that wakes the pool every 30 s for the life of the process.
    /// </remarks>
    public static IObservable<Unit> Create(IObservable<TriggerSource> requests, TimeSpan minimumGap, IScheduler scheduler) =>
        new Coalesced(requests, minimumGap, scheduler);

    public void OnNext(TriggerSource value)
    {
        lock (_gate)
        {
            // Scheduling under the gate: once disposal has taken it, nothing reaches a scheduler
            // that may be disposed right after.
            if (!_done && _coalescer.TryRequest(_scheduler.Now, out var delay))
            {
                _pending.Disposable = _scheduler.Schedule(this, delay, static (_, self) => self.Emit());
            }
        }
    }

    public void OnCompleted()
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            if (_coalescer.IsPending)
            {
                _completeAfterPending = true;
                return;
            }

            _done = true;
        }

        _observer.OnCompleted();
    }

    public void OnError(Exception error)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            _pending.Dispose();
        }

        _observer.OnError(error);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
            _pending.Dispose();
        }
    }

    private sealed class Coalesced(IObservable<TriggerSource> requests, TimeSpan minimumGap, IScheduler scheduler) : IObservable<Unit>
    {
        public IDisposable Subscribe(IObserver<Unit> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            var coalesced = new CoalescedRequests(observer, minimumGap, scheduler);
            return new CompositeDisposable(requests.Subscribe(coalesced), coalesced);
        }
    }

    private IDisposable Emit()
    {
        bool complete;
        lock (_gate)
        {
            if (_done)
            {
                return Disposable.Empty;
            }

            _coalescer.OnSampling(_scheduler.Now);
            complete = _done = _completeAfterPending;
        }

        _observer.OnNext(Unit.Default);
        if (complete)
        {
            _observer.OnCompleted();
        }

        return Disposable.Empty;
    }
}


/// <summary>
/// The state machine that coalesces "sample now" requests: at most one extra sample per minimum gap,
/// and never a request left without a sample after it. Plain and single-threaded; the caller locks.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>request at time t</term><description>sample</description></listheader>
/// <item><term>none pending, last extra sample at or before t - gap (or none yet)</term><description>at once</description></item>
/// <item><term>none pending, last extra sample at s &gt; t - gap</term><description>at s + gap</description></item>
/// <item><term>one pending</term><description>none more: the pending sample comes after the request</description></item>
/// </list>
/// A sample clears the pending flag as it starts, before it reads the probe: a request that arrives
/// while the probe is read may describe memory the read missed, so it earns a sample of its own.
/// </remarks>
internal sealed class SampleRequestCoalescer(TimeSpan minimumGap)
{
    private DateTimeOffset? _lastSample;

    /// <summary>Gets whether a sample is due and not yet started.</summary>
    public bool IsPending { get; private set; }

    /// <summary>Records a request.</summary>
    /// <param name="now">The scheduler's time.</param>
    /// <param name="delay">When a sample is to be scheduled, the time from <paramref name="now"/> to it.</param>
    /// <returns><see langword="true"/> when the caller must schedule a sample after <paramref name="delay"/>; <see langword="false"/> when one is pending already.</returns>
    public bool TryRequest(DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (IsPending)
        {
            return false;
        }

        IsPending = true;
        if (_lastSample is { } last)
        {
            // A clock that went back leaves the wait at one gap at most.
            delay = TimeSpan.FromTicks(Math.Clamp((last + minimumGap - now).Ticks, 0, minimumGap.Ticks));
        }

        return true;
    }

    /// <summary>Records that the pending sample starts now.</summary>
    public void OnSampling(DateTimeOffset now)
    {
        IsPending = false;
        _lastSample = now;
    }
}
