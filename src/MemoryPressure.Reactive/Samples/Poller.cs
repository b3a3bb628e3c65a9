using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace MemoryPressure.Reactive;

/// <summary>The operator behind <see cref="MemorySamples.Poll"/>: one instance per subscription.</summary>
internal sealed class Poller : IDisposable
{
    private readonly IObserver<MemorySample> _observer;
    private readonly IMemoryProbe _probe;
    private readonly IScheduler _scheduler;
    private readonly SingleAssignmentDisposable _timer = new();

    private Poller(IObserver<MemorySample> observer, IMemoryProbe probe, IScheduler scheduler)
    {
        _observer = observer;
        _probe = probe;
        _scheduler = scheduler;
    }

    public static IObservable<MemorySample> Create(TimeSpan interval, IMemoryProbe probe, IScheduler scheduler) =>
        Observable.Create<MemorySample>(observer =>
        {
            var poller = new Poller(observer, probe, scheduler);
            if (poller.Emit())
            {
                poller._timer.Disposable = scheduler.SchedulePeriodic(poller, interval, static p =>
                {
                    if (!p.Emit())
                    {
                        p._timer.Dispose();
                    }

                    return p;
                });
            }

            return poller;
        });

    public void Dispose() => _timer.Dispose();

    private bool Emit()
    {
        MemorySample sample;
        try
        {
            sample = _probe.Read();
        }
        catch (Exception e)
        {
            _observer.OnError(e);
            return false;
        }

        _observer.OnNext(sample with { Timestamp = _scheduler.Now });
        return true;
    }
}
