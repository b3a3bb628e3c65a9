using System.Reactive.Disposables;

namespace MemoryPressure.Reactive;

/// <summary>
/// An observable of the manager's own: it calls its observers in subscription order, and an
/// observer that throws is reported and stays subscribed (where <c>Observable.Create</c> would
/// detach it).
/// </summary>
/// <remarks>
/// Subscriptions are copy-on-write, so publishing walks a snapshot without locks or allocation.
/// An observer disposed, or the list completed, during a publish is not called again.
/// </remarks>
internal sealed class HandlerList<T>(Action<Exception> reportError) : IObservable<T>
{
    private readonly Lock _sync = new();
    private Subscription[] _subscriptions = [];
    private volatile bool _completed;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_sync)
        {
            if (!_completed)
            {
                var subscription = new Subscription(this, observer);
                _subscriptions = [.. _subscriptions, subscription];
                return subscription;
            }
        }

        observer.OnCompleted();
        return Disposable.Empty;
    }

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

            try
            {
                subscription.Observer.OnNext(value);
            }
            catch (Exception e)
            {
                reportError(e);
            }
        }
    }

    /// <summary>Completes every observer, once; later subscribers complete at once.</summary>
    public void Complete()
    {
        Subscription[] subscriptions;
        lock (_sync)
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
                reportError(e);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_sync)
        {
            var index = Array.IndexOf(_subscriptions, subscription);
            if (index >= 0)
            {
                _subscriptions = [.. _subscriptions.AsSpan(0, index), .. _subscriptions.AsSpan(index + 1)];
            }
        }
    }

    private sealed class Subscription(HandlerList<T> owner, IObserver<T> observer) : IDisposable
    {
        private volatile bool _disposed;

        public IObserver<T> Observer => observer;

        public bool IsDisposed => _disposed;

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }
    }
}
