using System.Reactive;
using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.Triggers;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>A manager that is inert until <see cref="MemoryPressureManager.Start"/>, and the end of each sample's dispatch.</summary>
public class ManagerStartTests : ReactiveTest
{
    [Fact]
    public void Without_auto_start_nothing_is_read_polled_or_triggered_until_Start()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            AutoStart = false,
            Probe = probe,
            Scheduler = scheduler,
            CheckInterval = TimeSpan.FromTicks(100),
            Triggers = new MemoryPressureTriggers { Custom = scheduler.CreateHotObservable(OnNext(150, Unit.Default)) },
        });
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);

        scheduler.AdvanceTo(1000);

        Assert.False(manager.IsStarted);
        Assert.Equal(0, probe.Reads);
        Assert.Empty(samples.Messages);
        Assert.All(manager.Triggers, t => Assert.Equal(TriggerState.Off, t.State));
        Assert.All(manager.Triggers, t => Assert.Contains("not started", t.Detail, StringComparison.Ordinal));

        manager.Start();
        scheduler.AdvanceTo(1250);

        Assert.True(manager.IsStarted);
        Assert.Equal([1001L, 1100L, 1200L], samples.Messages.Select(m => m.Time));
        Assert.Equal(TriggerState.Active, manager.Triggers.Single(t => t.Source == TriggerSource.Custom).State);
    }

    [Fact]
    public void A_sample_source_is_subscribed_only_at_Start_and_Start_twice_subscribes_once()
    {
        var scheduler = new TestScheduler();
        var feed = scheduler.CreateHotObservable(OnNext(210, Pressure.AtLevel(210, 1)), OnNext(310, Pressure.AtLevel(310, 2)));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { AutoStart = false, Samples = feed });
        var levels = scheduler.CreateObserver<int>();
        manager.Levels.Subscribe(levels);
        scheduler.ScheduleAbsolute(250, () =>
        {
            manager.Start();
            manager.Start();
        });

        scheduler.Start();

        Assert.Equal([new Subscription(250)], feed.Subscriptions);
        levels.Messages.AssertEqual(OnNext(0, 0), OnNext(310, 1), OnNext(310, 2));
    }

    [Fact]
    public void Start_after_Dispose_is_refused_and_a_manager_never_started_disposes_cleanly()
    {
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { AutoStart = false, Probe = probe });
        var completed = 0;
        manager.Changes.Subscribe(_ => { }, () => completed++);

        manager.Dispose();
        manager.Dispose();

        Assert.Throws<ObjectDisposedException>(manager.Start);
        Assert.Equal(1, completed);
        Assert.Equal(0, probe.Reads);
    }

    [Fact]
    public void A_start_that_fails_leaves_nothing_running_and_can_be_tried_again()
    {
        var scheduler = new TestScheduler();
        var refusing = new RefusingOnce();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            AutoStart = false,
            Probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0)),
            Scheduler = scheduler,
            Triggers = new MemoryPressureTriggers { Custom = refusing },
        });
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);

        Assert.Throws<InvalidOperationException>(manager.Start);
        scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);
        Assert.False(manager.IsStarted);
        Assert.Empty(samples.Messages);

        manager.Start();
        scheduler.AdvanceBy(1);

        Assert.True(manager.IsStarted);
        Assert.Single(samples.Messages);
    }

    [Fact]
    public void Dispatched_comes_last_for_each_sample_after_every_event_and_cleanup_action()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (220, 2), (230, 0)));
        var calls = new List<string>();
        harness.Manager.Samples.Subscribe(s => calls.Add($"sample {s.Timestamp.UtcTicks}"));
        harness.Manager.Changes.Subscribe(c => calls.Add($"step {c.From}->{c.To}"));
        harness.Manager.CleanupOnEntered(2, calls, static c => c.Add("cleanup 2"));
        harness.Manager.Remaining(2).Subscribe(_ => calls.Add("remaining 2"));
        harness.Manager.Dispatched.Subscribe(s => calls.Add($"dispatched {s.Timestamp.UtcTicks}"));

        harness.Scheduler.Start();

        Assert.Equal(
            [
                "sample 210", "step 0->1", "step 1->2", "cleanup 2", "dispatched 210",
                "sample 220", "remaining 2", "dispatched 220",
                "sample 230", "step 2->1", "step 1->0", "dispatched 230",
            ],
            calls);
    }

    /// <summary>A custom trigger whose first subscription throws, as a source that cannot start would.</summary>
    private sealed class RefusingOnce : IObservable<Unit>
    {
        private bool _refused;

        public IDisposable Subscribe(IObserver<Unit> observer)
        {
            if (!_refused)
            {
                _refused = true;
                throw new InvalidOperationException("not now");
            }

            return System.Reactive.Disposables.Disposable.Empty;
        }
    }
}
