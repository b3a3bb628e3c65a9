namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// A <see cref="HandlerList{T}"/> that gives each new observer the value it published last, then each
/// new one (the manager's <see cref="MemoryPressureManager.Levels"/>). The value is kept here, where it
/// is published, and read under the list's lock: an observer added between two publications, even by
/// a handler of another list, neither misses the next value nor sees one twice.
/// </summary>
/// <typeparam name="T">The values.</typeparam>
/// <param name="list">The observers, and the lock, error reporting and watchdog they are called under.</param>
/// <param name="initial">The value before the first publication.</param>
internal sealed class LatestValueList<T>(HandlerList<T> list, T initial) : IObservable<T>
{
    private T _latest = initial;

    /// <summary>Remembers a value and calls every observer with it; the caller holds the dispatch lock.</summary>
    public void Publish(T value)
    {
        _latest = value;
        list.Publish(value);
    }

    /// <summary>Completes every observer, once; later subscribers complete at once, with no value.</summary>
    public void Complete() => list.Complete();

    /// <summary>Calls the observer with the latest value, unless the list is complete, then subscribes it.</summary>
    /// <param name="observer">The observer; one that throws on the latest value is reported and still subscribed.</param>
    /// <returns>The subscription.</returns>
    public IDisposable Subscribe(IObserver<T> observer)
    {
        lock (list.Dispatch)
        {
            return list.SubscribeStartingWith(_latest, observer);
        }
    }
}
