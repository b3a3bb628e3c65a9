using MemoryPressure.Reactive.Handlers;
using Microsoft.Extensions.Time.Testing;

namespace MemoryPressure.Reactive.Tests.Handlers;

/// <summary>The watchdog on a fake clock: which calls it reports, how often, and when it declines to wait.</summary>
public class HandlerWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();
    private readonly List<HandlerTimeoutException> _reports = [];
    private bool _errorsBusy;
    private int _declined;

    private HandlerWatchdog Armed()
    {
        var watchdog = HandlerWatchdog.Create(Timeout, () => 2, Report, _time)!;
        watchdog.Arm();
        return watchdog;
    }

    private (HandlerWatchdog Watchdog, ManualClock Clock, int Name) ArmedOnManualClock(HandlerSite site)
    {
        var clock = new ManualClock();
        var watchdog = HandlerWatchdog.Create(Timeout, () => 2, Report, clock)!;
        var name = watchdog.Name(site);
        watchdog.Arm();
        return (watchdog, clock, name);
    }

    /// <summary>Moves the fake clock one timeout at a time: one Advance over several periods fires them all at its end time.</summary>
    private void Ticks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(Timeout);
        }
    }

    private bool Report(Exception report)
    {
        if (_errorsBusy)
        {
            _declined++;
            return false;
        }

        _reports.Add(Assert.IsType<HandlerTimeoutException>(report));
        return true;
    }

    [Fact]
    public void A_report_is_handed_to_the_dispatcher_so_the_ticking_thread_runs_no_error_handler_and_one_is_pending_at_a_time()
    {
        var dispatched = new List<Action>();
        using var watchdog = HandlerWatchdog.Create(Timeout, () => 2, Report, _time, dispatched.Add)!;
        watchdog.Arm();
        watchdog.Begin(watchdog.Name(HandlerSite.AtLevel("Entered", 2)));

        Ticks(4);

        // Due since the second tick, handed over once, and nothing published on the ticking thread.
        var publish = Assert.Single(dispatched);
        Assert.Empty(_reports);

        publish();
        Ticks(3);

        Assert.Single(_reports);
        Assert.Single(dispatched);
    }

    [Fact]
    public void A_call_running_past_the_timeout_is_reported_once_however_long_it_runs()
    {
        using var watchdog = Armed();
        watchdog.Begin(watchdog.Name(HandlerSite.AtLevel("Entered", 2)));

        Ticks(1);
        Assert.Empty(_reports);
        Ticks(1);
        var report = Assert.Single(_reports);
        Ticks(5);

        Assert.Single(_reports);
        Assert.Equal(("Entered(2)", 2, Timeout), (report.Handler, report.Level, report.Timeout));
        Assert.Contains("Entered(2)", report.Message, StringComparison.Ordinal);
        Assert.Contains("level 2", report.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TimeoutException>(report);
    }

    [Fact]
    public void Ticks_that_come_close_together_report_nothing_before_the_timeout_has_passed()
    {
        // A starved thread pool runs a late tick and the next one close together: the clock decides, not the ticks.
        var clock = new ManualClock();
        using var watchdog = HandlerWatchdog.Create(Timeout, () => 2, Report, clock)!;
        watchdog.Arm();
        watchdog.Begin(watchdog.Name(HandlerSite.Of("Changes")));

        clock.Tick();
        clock.Now += Timeout / 10;
        clock.Tick();
        clock.Tick();
        Assert.Empty(_reports);

        clock.Now += Timeout;
        clock.Tick();

        Assert.Equal("Changes", Assert.Single(_reports).Handler);
    }

    [Fact]
    public void Calls_that_each_end_within_a_tick_are_never_reported()
    {
        using var watchdog = Armed();

        for (var i = 0; i < 10; i++)
        {
            watchdog.Begin(watchdog.Name(HandlerSite.Of("Samples")));
            _time.Advance(Timeout);
            watchdog.End();
            watchdog.Begin(watchdog.Name(HandlerSite.Of("Changes")));
            _time.Advance(Timeout);
            watchdog.End();
        }

        Assert.Empty(_reports);
    }

    [Fact]
    public void A_later_call_that_blocks_is_reported_too()
    {
        using var watchdog = Armed();
        watchdog.Begin(watchdog.Name(HandlerSite.AtLevel("Entered", 1)));
        Ticks(2);
        watchdog.End();
        watchdog.Begin(watchdog.Name(HandlerSite.Cleanup(nameof(MemoryPressureManager.CleanupOnEntered), 2)));
        Ticks(2);

        Assert.Equal(["Entered(1)", "the cleanup actions of level 2"], _reports.Select(r => r.Handler));
    }

    [Fact]
    public void A_report_is_labelled_with_the_event_and_the_level_of_the_call_it_names_or_else_the_current_level()
    {
        using var watchdog = Armed();
        watchdog.Begin(watchdog.Name(HandlerSite.AtLevel("Left", 1)));
        Ticks(2);
        watchdog.End();
        watchdog.Begin(watchdog.Name(HandlerSite.Of("Changes")));
        Ticks(2);

        Assert.Equal([("Left", 1), ("Changes", 2)], _reports.Select(r => HandlerFailure.TryGetHandler(r, out var handlerEvent, out var level) ? (handlerEvent, level) : default));
    }

    [Fact]
    public void A_report_the_error_list_cannot_take_now_is_tried_again_at_the_next_tick()
    {
        using var watchdog = Armed();
        _errorsBusy = true;
        watchdog.Begin(watchdog.Name(HandlerSite.AtLevel("Left", 1)));
        Ticks(3);
        Assert.Empty(_reports);
        Assert.Equal(2, _declined);

        _errorsBusy = false;
        Ticks(1);

        Assert.Equal("Left(1)", Assert.Single(_reports).Handler);
    }

    [Fact]
    public void Nothing_is_reported_before_Arm_or_after_Dispose_and_an_infinite_timeout_makes_no_watchdog()
    {
        var watchdog = HandlerWatchdog.Create(Timeout, () => 0, Report, _time)!;
        watchdog.Begin(watchdog.Name(HandlerSite.Of("Samples")));
        _time.Advance(Timeout * 3);
        Assert.Empty(_reports);

        watchdog.Arm();
        watchdog.Dispose();
        _time.Advance(Timeout * 3);

        Assert.Empty(_reports);
        Assert.Null(HandlerWatchdog.Create(System.Threading.Timeout.InfiniteTimeSpan, () => 0, Report, _time));
    }

    [Fact]
    public void A_tick_with_no_call_since_the_last_one_stops_the_timer_and_the_next_call_starts_it()
    {
        var (watchdog, clock, name) = ArmedOnManualClock(HandlerSite.Of("Samples"));
        using var _ = watchdog;
        Assert.True(clock.IsRunning);

        // A call in each period keeps it ticking.
        for (var i = 0; i < 3; i++)
        {
            watchdog.Begin(name);
            watchdog.End();
            clock.Tick();
            Assert.True(clock.IsRunning);
        }

        clock.Tick();
        Assert.False(clock.IsRunning);

        watchdog.Begin(name);
        Assert.True(clock.IsRunning);
        watchdog.End();
        watchdog.Begin(name);

        // Started at Arm and once more by the call after the rest, not by the call that found it running.
        Assert.Equal(2, clock.Starts);
    }

    [Fact]
    public void A_call_that_wakes_the_resting_timer_is_reported_one_timeout_after_it_began()
    {
        using var watchdog = Armed();
        var name = watchdog.Name(HandlerSite.AtLevel("Entered", 1));
        Ticks(1);
        _time.Advance(Timeout / 2);

        watchdog.Begin(name);
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_reports);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("Entered(1)", Assert.Single(_reports).Handler);
    }

    [Fact]
    public void A_call_that_ends_before_the_timer_rests_is_followed_by_one_more_tick_then_rest()
    {
        var (watchdog, clock, name) = ArmedOnManualClock(HandlerSite.Of("Changes"));
        using var _ = watchdog;
        clock.Tick();
        Assert.False(clock.IsRunning);

        watchdog.Begin(name);
        watchdog.End();
        clock.Tick();

        Assert.False(clock.IsRunning);
        Assert.Empty(_reports);
    }

    [Fact]
    public void The_librarys_own_observers_of_a_list_leave_the_timer_resting_and_the_applications_keep_it_ticking()
    {
        var clock = new ManualClock();
        using var watchdog = HandlerWatchdog.Create(Timeout, () => 0, Report, clock)!;
        var list = new HandlerList<int>(new Lock(), (_, _) => { }, HandlerSite.Of("Samples"), watchdog);
        var seen = new List<int>();
        list.Unwatched.Subscribe(seen.Add);
        watchdog.Arm();

        list.Publish(1);
        clock.Tick();
        list.Publish(2);
        clock.Tick();
        Assert.False(clock.IsRunning);

        list.Subscribe(_ => { });
        list.Publish(3);

        Assert.True(clock.IsRunning);
        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void A_call_begun_while_a_tick_puts_the_timer_to_rest_never_finds_it_stopped()
    {
        // A ticking thread that ticks whenever the timer is set, against calls begun and ended back to
        // back: a Begin that comes between a tick's look at the calls and its rest must stop the rest
        // or restart the timer, or its call runs unwatched and no tick comes again.
        var (watchdog, clock, name) = ArmedOnManualClock(HandlerSite.Of("Changes"));
        using var _ = watchdog;
        var ticks = 0L;
        var stop = false;
        var ticker = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                if (clock.IsRunning)
                {
                    clock.Tick();
                    Interlocked.Increment(ref ticks);
                }
            }
        });
        ticker.Start();
        var unwatched = 0;
        try
        {
            for (var i = 0; i < 20_000 && unwatched == 0; i++)
            {
                watchdog.Begin(name);
                var before = Interlocked.Read(ref ticks);
                unwatched += SpinWait.SpinUntil(() => Interlocked.Read(ref ticks) >= before + 2, TimeSpan.FromSeconds(5)) ? 0 : 1;
                watchdog.End();
                if (i % 16 == 0)
                {
                    Assert.True(SpinWait.SpinUntil(() => !clock.IsRunning, TimeSpan.FromSeconds(5)), "the timer never rested");
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            ticker.Join();
        }

        Assert.Equal(0, unwatched);
    }

    /// <summary>A clock whose time and timer ticks the test moves by hand, independently.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;
        private bool _running;

        public TimeSpan Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now.Ticks;

        /// <summary>Gets whether the timer is set to fire: created or last changed with a finite due time.</summary>
        public bool IsRunning
        {
            get => Volatile.Read(ref _running);
            private set => Volatile.Write(ref _running, value);
        }

        /// <summary>Gets how many times the timer was set to fire after not being set: its creation counts.</summary>
        public int Starts { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_callback, _state) = (callback, state);
            var timer = new ManualTimer(this);
            timer.Change(dueTime, period);
            return timer;
        }

        public void Tick() => _callback!(_state);

        private sealed class ManualTimer(ManualClock clock) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                var running = dueTime != global::System.Threading.Timeout.InfiniteTimeSpan;
                clock.Starts += running && !clock.IsRunning ? 1 : 0;
                clock.IsRunning = running;
                return true;
            }

            public void Dispose() => clock.IsRunning = false;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
