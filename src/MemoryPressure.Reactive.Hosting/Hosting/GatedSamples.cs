using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The sample source the host gives a manager in place of <see cref="MemoryPressureHostingOptions.Samples"/>:
/// subscribed to when the host starts, and reporting the end of each sample's dispatch.
/// </summary>
internal static class GatedSamples
{
    public static IObservable<MemorySample> Create(IObservable<MemorySample> samples, StartGate gate, Action dispatched) =>
        Observable.Create<MemorySample>(observer =>
        {
            var subscription = new SingleAssignmentDisposable();
            var waiting = gate.WhenOpen(() => subscription.Disposable = samples.Subscribe(new DispatchObserver(observer, dispatched)));
            return StableCompositeDisposable.Create(waiting, subscription);
        });

    /// <summary>
    /// Forwards samples one at a time and reports when the manager is done with one. The manager
    /// judges a sample fed by one of its own handlers after the current one, so only the outermost
    /// delivery on a thread ends a dispatch.
    /// </summary>
    private sealed class DispatchObserver(IObserver<MemorySample> observer, Action dispatched) : IObserver<MemorySample>
    {
        private readonly Lock _sync = new();
        private int _depth;

        public void OnNext(MemorySample value)
        {
            lock (_sync)
            {
                _depth++;
                try
                {
                    observer.OnNext(value);
                }
                finally
                {
                    if (--_depth == 0)
                    {
                        dispatched();
                    }
                }
            }
        }

        public void OnError(Exception error) => observer.OnError(error);

        public void OnCompleted() => observer.OnCompleted();
    }
}
