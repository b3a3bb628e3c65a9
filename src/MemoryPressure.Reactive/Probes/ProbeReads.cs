using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace MemoryPressure.Reactive.Probes;

/// <summary>
/// A probe read into a stream: each request reads the probe once and emits the sample stamped with
/// the scheduler's clock. <see cref="MemorySamples.Poll"/> is built on it; the manager reads its
/// probe without a stream between the tick and the judging (<see cref="MemoryPressureManager"/>'s
/// polled reads).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>input</term><description>emitted</description></listheader>
/// <item><term>a request</term><description>the probe's sample, <see cref="MemorySample.Timestamp"/> set to the scheduler's <see cref="IScheduler.Now"/></description></item>
/// <item><term>a request, the probe throws</term><description><c>OnError</c> with its exception (the operator's contract)</description></item>
/// <item><term><c>OnError</c>, <c>OnCompleted</c> of the requests</term><description>the same</description></item>
/// </list>
/// A read allocates nothing beyond what the probe does.
/// </remarks>
internal static class ProbeReads
{
    public static IObservable<MemorySample> Create<TRequest>(IObservable<TRequest> requests, IMemoryProbe probe, IScheduler scheduler) =>
        Observable.Create<MemorySample>(observer => requests.Subscribe(
            _ =>
            {
                MemorySample sample;
                try
                {
                    sample = probe.Read();
                }
                catch (Exception e)
                {
                    observer.OnError(e);
                    return;
                }

                observer.OnNext(sample with { Timestamp = scheduler.Now });
            },
            observer.OnError,
            observer.OnCompleted));

    /// <summary>Requests at subscription, on the subscribing thread, then once every interval on the scheduler.</summary>
    /// <remarks>The periodic timer's own work item is all a tick costs (no <c>StartWith</c> or <c>Interval</c> layers).</remarks>
    public static IObservable<long> AtOnceThenEvery(TimeSpan interval, IScheduler scheduler) =>
        Observable.Create<long>(observer =>
        {
            observer.OnNext(-1);
            return scheduler.SchedulePeriodic((Observer: observer, Count: 0L), interval, static tick =>
            {
                tick.Observer.OnNext(tick.Count);
                return (tick.Observer, tick.Count + 1);
            });
        });
}
