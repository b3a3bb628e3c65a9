using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Scheduling;

namespace MemoryPressure.Reactive.Tests.Scheduling;

/// <summary>The manager's own scheduler, in real time (bounded waits on events, no sleeps).</summary>
public class SamplingThreadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Work_runs_on_one_named_thread_in_order_of_due_time_whatever_the_order_it_was_given_in()
    {
        using var scheduler = new SamplingThread("sampling test");
        var ran = new ConcurrentQueue<(string What, string? Thread)>();
        using var done = new CountdownEvent(3);
        void Add(string what, TimeSpan due) => scheduler.Schedule(what, due, (_, w) =>
        {
            ran.Enqueue((w, Thread.CurrentThread.Name));
            done.Signal();
            return System.Reactive.Disposables.Disposable.Empty;
        });

        Add("late", TimeSpan.FromMilliseconds(300));
        Add("soon", TimeSpan.FromMilliseconds(100));
        Add("now", TimeSpan.Zero);

        Assert.True(done.Wait(Bound));
        Assert.Equal(["now", "soon", "late"], ran.Select(r => r.What));
        Assert.All(ran, r => Assert.Equal("sampling test", r.Thread));
    }

    [Fact]
    public void An_alarm_set_again_before_it_runs_runs_once_at_its_last_setting_and_a_cleared_one_not_at_all()
    {
        using var scheduler = new SamplingThread("sampling test");
        var ran = new ConcurrentQueue<string>();
        using var done = new ManualResetEventSlim();
        var alarm = scheduler.CreateAlarm(() => ran.Enqueue("alarm"));
        var cleared = scheduler.CreateAlarm(() => ran.Enqueue("cleared"));

        alarm.Set(TimeSpan.FromHours(1));
        alarm.Set(TimeSpan.FromMilliseconds(50));
        cleared.Set(TimeSpan.FromMilliseconds(20));
        cleared.Clear();
        scheduler.Schedule(TimeSpan.FromMilliseconds(200), () => done.Set());

        Assert.True(done.Wait(Bound));
        Assert.Equal(["alarm"], ran);
    }

    [Fact]
    public void An_alarm_set_again_from_its_own_run_runs_again()
    {
        using var scheduler = new SamplingThread("sampling test");
        using var done = new CountdownEvent(3);
        SamplingThread.Alarm? alarm = null;
        alarm = scheduler.CreateAlarm(() =>
        {
            done.Signal();
            if (done.CurrentCount > 0)
            {
                alarm!.Set(TimeSpan.FromMilliseconds(5));
            }
        });

        alarm.Set(TimeSpan.Zero);

        Assert.True(done.Wait(Bound));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Earlier_work_wakes_the_thread_from_its_wait_for_later_work_in_poll_or_on_the_monitor(bool kernelWait)
    {
        using var scheduler = new SamplingThread("sampling test", kernelWait);
        using var ran = new ManualResetEventSlim();
        using var waiting = new ManualResetEventSlim();
        scheduler.Schedule(TimeSpan.Zero, () => waiting.Set());
        scheduler.Schedule(TimeSpan.FromHours(1), () => { });
        Assert.True(waiting.Wait(Bound));

        // The thread now waits an hour for the later work unless the new item wakes it.
        scheduler.Schedule(TimeSpan.FromMilliseconds(20), () => ran.Set());

        Assert.True(ran.Wait(Bound));
        Assert.Equal(kernelWait && OperatingSystem.IsLinux(), scheduler.WaitsInKernel);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Disposal_wakes_a_waiting_thread_which_ends(bool kernelWait)
    {
        var scheduler = new SamplingThread("sampling end test", kernelWait);
        using var started = new ManualResetEventSlim();
        Thread? thread = null;
        scheduler.Schedule(TimeSpan.Zero, () =>
        {
            thread = Thread.CurrentThread;
            started.Set();
        });
        Assert.True(started.Wait(Bound));

        scheduler.Dispose();

        Assert.True(thread!.Join(Bound));
    }

    [SkippableFact]
    public void On_Linux_the_thread_runs_at_a_raised_priority_where_the_kernel_allows_it_and_at_the_default_where_not()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread nice values are Linux's");
        using var scheduler = new SamplingThread("nice test");
        using var ran = new ManualResetEventSlim();
        var nice = int.MinValue;

        scheduler.Schedule(TimeSpan.Zero, () =>
        {
            // /proc/thread-self/stat: the nice value is field 19, the 17th after the name in parentheses.
            var stat = File.ReadAllText("/proc/thread-self/stat");
            nice = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
            ran.Set();
        });

        Assert.True(ran.Wait(Bound));
        Assert.Equal(Environment.IsPrivilegedProcess ? SamplingThread.Nice : 0, nice);
    }

    [Fact]
    public void Work_scheduled_at_an_absolute_time_runs_then_and_the_clock_is_the_wall_clock()
    {
        using var scheduler = new SamplingThread("sampling test");
        using var ran = new ManualResetEventSlim();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var before = DateTimeOffset.UtcNow;

        scheduler.Schedule(scheduler.Now + TimeSpan.FromMilliseconds(150), () => ran.Set());

        Assert.True(ran.Wait(Bound));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(140), $"ran after {clock.Elapsed}");
        Assert.InRange(scheduler.Now, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public void Delayed_work_waits_at_least_its_delay()
    {
        using var scheduler = new SamplingThread("sampling test");
        using var ran = new ManualResetEventSlim();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        scheduler.Schedule(TimeSpan.FromMilliseconds(200), () => ran.Set());

        Assert.True(ran.Wait(Bound));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(195), $"ran after {clock.Elapsed}");
    }

    [Fact]
    public void Work_disposed_before_it_is_due_never_runs_and_the_rest_still_does()
    {
        using var scheduler = new SamplingThread("sampling test");
        var cancelledRan = false;
        using var after = new ManualResetEventSlim();

        var cancelled = scheduler.Schedule(TimeSpan.FromMilliseconds(50), () => cancelledRan = true);
        cancelled.Dispose();
        scheduler.Schedule(TimeSpan.FromMilliseconds(100), () => after.Set());

        Assert.True(after.Wait(Bound));
        Assert.False(cancelledRan);
    }

    [Fact]
    public void After_disposal_queued_and_new_work_is_dropped()
    {
        var scheduler = new SamplingThread("sampling test");
        var ran = 0;
        scheduler.Schedule(TimeSpan.FromMilliseconds(100), () => Interlocked.Increment(ref ran));

        scheduler.Dispose();
        scheduler.Schedule(TimeSpan.Zero, () => Interlocked.Increment(ref ran));

        // The thread has left its loop once a marker scheduled on a fresh scheduler behind the same delay has run.
        using var marker = new SamplingThread("sampling test marker");
        using var markerRan = new ManualResetEventSlim();
        marker.Schedule(TimeSpan.FromMilliseconds(200), () => markerRan.Set());
        Assert.True(markerRan.Wait(Bound));
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact]
    public void Recursive_work_can_reschedule_itself_as_the_polling_clock_does()
    {
        using var scheduler = new SamplingThread("sampling test");
        using var done = new CountdownEvent(5);

        scheduler.Schedule(TimeSpan.FromMilliseconds(1), self =>
        {
            done.Signal();
            if (done.CurrentCount > 0)
            {
                self(TimeSpan.FromMilliseconds(1));
            }
        });

        Assert.True(done.Wait(Bound));
    }
}
