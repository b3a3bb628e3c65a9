using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics.Occasions;

/// <summary>
/// Runs a dump on triggers (a signal, a memory pressure level entered), rate-limited and capped:
/// the shared engine behind every installed dump.
/// </summary>
internal static class DumpTrigger
{
    /// <summary>Runs <paramref name="dump"/> for each trigger the <paramref name="limits"/> allow, timed by <paramref name="scheduler"/>'s clock, and emits its result.</summary>
    /// <typeparam name="T">The trigger's type; only its arrival matters.</typeparam>
    /// <param name="triggers">The triggers.</param>
    /// <param name="dump">Takes one dump; it should start the work elsewhere and return at once, so the trigger's thread is not held.</param>
    /// <param name="limits">The least interval between starts and the most dumps in all.</param>
    /// <param name="scheduler">The clock of the interval: a trigger's time is <see cref="IScheduler.Now"/> when it arrives.</param>
    /// <param name="skipped">Told, on the trigger's thread, why a trigger was skipped; <see langword="null"/> to skip silently.</param>
    /// <returns>A cold observable of results: each subscription has its own limits.</returns>
    /// <remarks>See <see cref="Create{T}(IObservable{T}, Func{T, DateTimeOffset}, Func{CancellationToken, Task{MemoryDumpResult}}, DumpLimits, Action{string}?)"/>.</remarks>
    public static IObservable<MemoryDumpResult> Create<T>(
        IObservable<T> triggers,
        Func<CancellationToken, Task<MemoryDumpResult>> dump,
        DumpLimits limits,
        IScheduler scheduler,
        Action<string>? skipped = null) =>
        Create(triggers, _ => scheduler.Now, dump, limits, skipped);

    /// <summary>Runs <paramref name="dump"/> for each trigger the <paramref name="limits"/> allow, timed by the triggers' own clock, and emits its result.</summary>
    /// <typeparam name="T">The trigger's type.</typeparam>
    /// <param name="triggers">The triggers.</param>
    /// <param name="timeOf">Gives a trigger's time, such as the timestamp of the memory sample that entered a level.</param>
    /// <param name="dump">Takes one dump; it should start the work elsewhere and return at once, so the trigger's thread is not held.</param>
    /// <param name="limits">The least interval between starts and the most dumps in all.</param>
    /// <param name="skipped">Told, on the trigger's thread, why a trigger was skipped; <see langword="null"/> to skip silently.</param>
    /// <returns>A cold observable of results: each subscription has its own limits.</returns>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>event</term><description>what happens</description></listheader>
    /// <item><term>trigger, limits allow</term><description>the dump starts at once; its result is emitted when it ends, on the thread that ends it</description></item>
    /// <item><term>trigger while a dump runs, sooner than the interval after the last start, or once the cap is reached</term><description>skipped (not queued); <paramref name="skipped"/> is told why</description></item>
    /// <item><term>the dump throws or is cancelled by itself</term><description>a failed result; triggering goes on</description></item>
    /// <item><term>the triggers complete</term><description>completes once a running dump has ended</description></item>
    /// <item><term>the triggers fail</term><description><c>OnError</c> at once; a running dump is cancelled</description></item>
    /// <item><term>disposal</term><description>a running dump is cancelled through its token</description></item>
    /// </list>
    /// </remarks>
    public static IObservable<MemoryDumpResult> Create<T>(
        IObservable<T> triggers,
        Func<T, DateTimeOffset> timeOf,
        Func<CancellationToken, Task<MemoryDumpResult>> dump,
        DumpLimits limits,
        Action<string>? skipped = null) =>
        Observable.Defer(() =>
        {
            var limiter = new DumpRateLimiter(limits);
            return triggers
                .Select(timeOf)
                .Where(time => Allowed(limiter, time, skipped))
                .SelectMany(time => Run(dump, time).Finally(limiter.Finish));
        });

    // Unlike Observable.FromAsync, the result is emitted on the thread that ends the dump, at once: in
    // virtual time it arrives at the tick the dump ends, not later on the thread pool.
    private static IObservable<MemoryDumpResult> Run(Func<CancellationToken, Task<MemoryDumpResult>> dump, DateTimeOffset now) =>
        Observable.Create<MemoryDumpResult>(observer =>
        {
            var cancellation = new CancellationDisposable();
            Task<MemoryDumpResult> task;
            try
            {
                task = dump(cancellation.Token);
            }
            catch (Exception e)
            {
                task = Task.FromException<MemoryDumpResult>(e);
            }

            task.ContinueWith(
                ended =>
                {
                    if (cancellation.IsDisposed)
                    {
                        return;
                    }

                    observer.OnNext(ended.Status switch
                    {
                        TaskStatus.RanToCompletion => ended.Result,
                        TaskStatus.Canceled => MemoryDumpResult.Failure(now, "the dump was cancelled"),
                        _ => MemoryDumpResult.Failure(now, $"the dump failed: {ended.Exception!.InnerException!.Message}", ended.Exception.InnerException),
                    });
                    observer.OnCompleted();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return cancellation;
        });

    private static bool Allowed(DumpRateLimiter limiter, DateTimeOffset now, Action<string>? skipped)
    {
        if (limiter.TryStart(now, out var reason))
        {
            return true;
        }

        skipped?.Invoke(reason);
        return false;
    }
}
