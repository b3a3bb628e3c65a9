using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>
/// A handler that blocks, in real time: it is reported on <see cref="MemoryPressureManager.Errors"/>
/// while it still runs, and nothing is lost once it returns. Each wait is bounded by the event it
/// waits for; a report that waited for the blocked handler would deadlock and show as a timeout.
/// </summary>
public class ManagerHandlerTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_handler_still_running_after_the_timeout_is_reported_while_it_runs_and_monitoring_goes_on()
    {
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed, HandlerTimeout = TimeSpan.FromMilliseconds(100) });
        using var reported = new ManualResetEventSlim();
        var reports = new List<HandlerTimeoutException>();
        manager.Errors.Subscribe(e =>
        {
            reports.Add(Assert.IsType<HandlerTimeoutException>(e));
            reported.Set();
        });
        bool? reportedWhileRunning = null;
        manager.Entered(1).Subscribe(_ => reportedWhileRunning ??= reported.Wait(Bound));
        var enteredTwo = 0;
        manager.Entered(2).Subscribe(_ => enteredTwo++);

        await OnOwnThread(() =>
        {
            feed.OnNext(Pressure.AtLevel(1, 1));
            feed.OnNext(Pressure.AtLevel(2, 2));
        }).WaitAsync(Bound);

        Assert.True(reportedWhileRunning);
        var report = Assert.Single(reports);
        Assert.Equal(("Entered(1)", 1), (report.Handler, report.Level));
        Assert.Contains("Entered(1)", report.Message, StringComparison.Ordinal);
        Assert.True(HandlerFailure.TryGetHandler(report, out var handlerEvent, out var level));
        Assert.Equal(("Entered", 1), (handlerEvent, level));
        Assert.Equal(1, enteredTwo);
    }

    [Fact]
    public async Task A_blocked_cleanup_action_is_named_and_Dispose_from_another_thread_completes_everything_once_it_returns()
    {
        var feed = new Subject<MemorySample>();
        var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed, HandlerTimeout = TimeSpan.FromMilliseconds(100) });
        using var reported = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var returned = new ManualResetEventSlim();
        HandlerTimeoutException? report = null;
        manager.Errors.Subscribe(e =>
        {
            report = e as HandlerTimeoutException;
            reported.Set();
        });
        var completions = 0;
        manager.Changes.Subscribe(_ => { }, () => Interlocked.Increment(ref completions));
        manager.Levels.Subscribe(_ => { }, () => Interlocked.Increment(ref completions));
        var cache = new object();
        bool? returnedWhileBlocked = null;
        var completedWhileBlocked = -1;
        manager.CleanupOnEntered(2, cache, _ =>
        {
            release.Wait(Bound);
            returnedWhileBlocked = returned.IsSet;
            completedWhileBlocked = Volatile.Read(ref completions);
        });
        var feeder = OnOwnThread(() => feed.OnNext(Pressure.AtLevel(1, 3)));
        Assert.True(reported.Wait(Bound), "no report of the blocked cleanup action");

        var disposal = OwnThread.Start(() =>
        {
            manager.Dispose();
            returned.Set();
        });

        // The action is released once Dispose waits (or, wrongly, has returned), and then sees which.
        Assert.True(disposal.WaitUntilBlockedOrEnded(Bound), "Dispose neither waited nor returned");
        release.Set();
        Assert.True(disposal.Join(Bound), "Dispose did not return once the action had");
        await feeder.WaitAsync(Bound);

        Assert.Equal(("the cleanup actions of level 2", 2), (report?.Handler, report?.Level));
        Assert.False(returnedWhileBlocked);
        Assert.Equal(0, completedWhileBlocked);
        Assert.Equal(2, completions);
        GC.KeepAlive(cache);
    }

    private static Task OnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
