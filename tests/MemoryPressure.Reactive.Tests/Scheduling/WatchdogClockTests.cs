using MemoryPressure.Reactive.Scheduling;

namespace MemoryPressure.Reactive.Tests.Scheduling;

/// <summary>The watchdogs' timers, in real time (bounded waits on events, no sleeps).</summary>
public class WatchdogClockTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_periodic_timer_fires_again_and_again_on_the_watchdogs_thread_never_on_the_pool()
    {
        using var fired = new CountdownEvent(3);
        var threads = new System.Collections.Concurrent.ConcurrentBag<(string? Name, bool Pool)>();
        using var timer = WatchdogClock.Instance.CreateTimer(
            _ =>
            {
                threads.Add((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
                if (fired.CurrentCount > 0)
                {
                    fired.Signal();
                }
            },
            null,
            TimeSpan.FromMilliseconds(10),
            TimeSpan.FromMilliseconds(10));

        Assert.True(fired.Wait(Bound));
        Assert.All(threads, t => Assert.Equal(("MemoryPressure watchdog", false), t));
    }

    [Fact]
    public void A_timer_changed_to_never_or_disposed_stops_firing()
    {
        var stoppedFires = 0;
        using var stopped = WatchdogClock.Instance.CreateTimer(_ => Interlocked.Increment(ref stoppedFires), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        Assert.True(stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        var disposed = WatchdogClock.Instance.CreateTimer(_ => Interlocked.Increment(ref stoppedFires), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        disposed.Dispose();
        Assert.False(disposed.Change(TimeSpan.Zero, TimeSpan.Zero));

        // A one-shot timer due after both would have fired runs on the same thread, in due order, after them.
        using var later = new ManualResetEventSlim();
        using var marker = WatchdogClock.Instance.CreateTimer(_ => later.Set(), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        Assert.True(later.Wait(Bound));
        Assert.Equal(0, Volatile.Read(ref stoppedFires));
    }
}
