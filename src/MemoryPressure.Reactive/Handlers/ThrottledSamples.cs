namespace MemoryPressure.Reactive.Handlers;

/// <summary>
/// A view of a sample list that lets each subscriber see at most one sample per interval of
/// sample time (<see cref="MemorySample.Timestamp"/>), each with its own clock.
/// </summary>
internal sealed class ThrottledSamples(IObservable<MemorySample> samples, TimeSpan interval) : IObservable<MemorySample>
{
    public IDisposable Subscribe(IObserver<MemorySample> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return samples.Subscribe(interval == TimeSpan.Zero ? observer : new Throttle(observer, interval));
    }

    private sealed class Throttle(IObserver<MemorySample> observer, TimeSpan interval) : IObserver<MemorySample>
    {
        private DateTimeOffset? _last;

        public void OnNext(MemorySample value)
        {
            // A clock that went back (a wall-clock step, a resumed VM) starts the interval again
            // rather than silencing the subscriber until it catches up.
            if (_last is { } last && value.Timestamp >= last && value.Timestamp - last < interval)
            {
                return;
            }

            _last = value.Timestamp;
            observer.OnNext(value);
        }

        public void OnError(Exception error) => observer.OnError(error);

        public void OnCompleted() => observer.OnCompleted();
    }
}
