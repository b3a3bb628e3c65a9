using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// An observable of the manager's own: it calls its observers in subscription order, and an
/// observer that throws is reported and stays subscribed (where <c>Observable.Create</c> would
/// detach it).
/// </summary>
/// <remarks>
/// <para>
/// Every publish runs under <paramref name="dispatch"/>, the manager's lock, and so do subscribing,
/// disposing a subscription and completing. So when a subscription's <see cref="IDisposable.Dispose"/>
/// returns on another thread, no call to its observer is still running or yet to come: it waited for
/// the sample being dispatched. From inside a handler (the thread holding the lock) it returns at once,
/// and the observer is not called again.
/// </para>
/// <para>
/// Subscriptions are copy-on-write, so a publish walks a snapshot without allocating, and a handler
/// may subscribe or dispose while it runs.
/// </para>
/// </remarks>
/// <param name="dispatch">The lock held by every publish.</param>
/// <param name="reportError">Where the exceptions of observers go, with the list's <paramref name="site"/>.</param>
/// <param name="site">What the list's observers serve: the event and level of their failures, and the watchdog's name for them (<c>Entered(2)</c>).</param>
/// <param name="watchdog">Times each call to an observer, or <see langword="null"/>.</param>
internal sealed class HandlerList<T>(Lock dispatch, Action<Exception, HandlerSite> reportError, HandlerSite site, HandlerWatchdog? watchdog = null) : IObservable<T>
{
    private readonly int _watchName = watchdog?.Name(site) ?? 0;
    private Subscription[] _subscriptions = [];
    private bool _completed;

    /// <summary>Gets the lock held by every publish, subscription and completion.</summary>
    public Lock Dispatch => dispatch;

    /// <summary>
    /// Gets the list for the library's own observers (a trigger source following the samples), which
    /// neither block nor throw: the watchdog does not time their calls, so they do not keep its timer
    /// ticking through a rest.
    /// </summary>
    public IObservable<T> Unwatched => field ??= new UnwatchedView(this);

    public IDisposable Subscribe(IObserver<T> observer) => Subscribe(observer, watched: true);

    private IDisposable Subscribe(IObserver<T> observer, bool watched)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (dispatch)
        {
            if (!_completed)
            {
                var subscription = new Subscription(this, observer, watched);
                _subscriptions = [.. _subscriptions, subscription];
                return subscription;
            }
        }

        observer.OnCompleted();
        return Disposable.Empty;
    }

    /// <summary>Calls every observer with a value; the caller holds the dispatch lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Publish(T value)
    {
        foreach (var subscription in _subscriptions)
        {
            if (_completed)
            {
                return;
            }

            if (subscription.IsDisposed)
            {
                continue;
            }

            // Inline rather than through a delegate: the values are large structs, copied at each call.
            var watched = subscription.IsWatched ? watchdog : null;
            watched?.Begin(_watchName);
            try
            {
                subscription.Observer.OnNext(value);
            }
            catch (Exception e)
            {
                watched?.End();
                reportError(e, site);
                continue;
            }

            watched?.End();
        }
    }

    /// <summary>
    /// Subscribes an observer that is first called with <paramref name="first"/>, at once and unwatched,
    /// unless the list is complete; the caller holds the dispatch lock, so nothing is published between the two.
    /// </summary>
    /// <param name="first">The value the observer starts from.</param>
    /// <param name="observer">The observer; one that throws on <paramref name="first"/> is reported as the list's and still subscribed.</param>
    /// <returns>The subscription.</returns>
    public IDisposable SubscribeStartingWith(T first, IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (!_completed)
        {
            try
            {
                observer.OnNext(first);
            }
            catch (Exception e)
            {
                reportError(e, site);
            }
        }

        return Subscribe(observer);
    }

    /// <summary>Completes every observer, once; later subscribers complete at once.</summary>
    public void Complete()
    {
        Subscription[] subscriptions;
        lock (dispatch)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            subscriptions = _subscriptions;
            _subscriptions = [];
        }

        foreach (var subscription in subscriptions)
        {
            try
            {
                subscription.Observer.OnCompleted();
            }
            catch (Exception e)
            {
                reportError(e, site);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (dispatch)
        {
            subscription.IsDisposed = true;
            var index = Array.IndexOf(_subscriptions, subscription);
            if (index >= 0)
            {
                _subscriptions = [.. _subscriptions.AsSpan(0, index), .. _subscriptions.AsSpan(index + 1)];
            }
        }
    }

    private sealed class UnwatchedView(HandlerList<T> list) : IObservable<T>
    {
        public IDisposable Subscribe(IObserver<T> observer) => list.Subscribe(observer, watched: false);
    }

    private sealed class Subscription(HandlerList<T> owner, IObserver<T> observer, bool watched) : IDisposable
    {
        public IObserver<T> Observer => observer;

        /// <summary>Gets whether the watchdog times the observer's calls.</summary>
        public bool IsWatched => watched;

        /// <summary>Gets or sets whether the subscription was disposed; read and written under the dispatch lock.</summary>
        public bool IsDisposed { get; set; }

        public void Dispose() => owner.Remove(this);
    }
}
