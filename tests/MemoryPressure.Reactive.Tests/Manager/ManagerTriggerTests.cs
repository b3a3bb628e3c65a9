using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>The manager's extra samples in virtual time, driven by a fake trigger stream (<see cref="MemoryPressureTriggers.Custom"/>).</summary>
public class ManagerTriggerTests : ReactiveTest
{
    private static MemoryPressureManager Manager(IScheduler scheduler, IMemoryProbe probe, IObservable<Unit> requests, long gap = 50) =>
        new(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = probe,
            Scheduler = scheduler,
            CheckInterval = TimeSpan.FromTicks(1000),
            Triggers = new MemoryPressureTriggers { Custom = requests, MinimumGap = TimeSpan.FromTicks(gap) },
        });

    [Fact]
    public void Trigger_requests_add_coalesced_samples_between_the_regular_polls_on_the_manager_scheduler()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(
            OnNext(300, Unit.Default),
            OnNext(310, Unit.Default),
            OnNext(320, Unit.Default),
            OnNext(1500, Unit.Default));
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        using var manager = Manager(scheduler, probe, requests);
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);

        scheduler.AdvanceTo(2100);

        Assert.Equal([1L, 301, 351, 1000, 1501, 2000], samples.Messages.Select(m => m.Time));
        Assert.Equal(6, probe.Reads);
    }

    [Fact]
    public void A_triggered_sample_is_judged_like_any_other_and_enters_its_level_at_once()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(OnNext(400, Unit.Default));
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, scheduler.Clock >= 400 ? 3 : 0));
        using var manager = Manager(scheduler, probe, requests);
        var entered = scheduler.CreateObserver<LevelChanged>();
        manager.Changes.Subscribe(entered);

        scheduler.AdvanceTo(999);

        Assert.Equal([(401L, 0, 1), (401L, 1, 2), (401L, 2, 3)], entered.Messages.Select(m => (m.Time, m.Value.Value.From, m.Value.Value.To)));
    }

    [Fact]
    public void A_stopped_manager_takes_no_triggered_sample()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(OnNext(300, Unit.Default));
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        using var manager = Manager(scheduler, probe, requests);

        scheduler.AdvanceTo(100);
        manager.Stop();
        scheduler.AdvanceTo(999);

        Assert.Equal(1, probe.Reads);
    }

    [Fact]
    public void A_failing_trigger_stream_is_reported_and_polling_goes_on()
    {
        var scheduler = new TestScheduler();
        var failure = new IOException("the eviction feed broke");
        var requests = scheduler.CreateHotObservable(OnError<Unit>(300, failure));
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        using var manager = Manager(scheduler, probe, requests);
        var errors = scheduler.CreateObserver<Exception>();
        manager.Errors.Subscribe(errors);

        scheduler.AdvanceTo(2100);

        Assert.Equal([(301L, failure)], errors.Messages.Select(m => (m.Time, m.Value.Value)));
        Assert.Equal(3, probe.Reads);
        var custom = manager.Triggers.Single(t => t.Source == TriggerSource.Custom);
        Assert.Equal(TriggerState.Failed, custom.State);
        Assert.Contains("the eviction feed broke", custom.Detail);
    }

    [Fact]
    public void A_scheduler_that_refuses_a_triggered_sample_is_reported_and_the_signal_does_not_throw()
    {
        var scheduler = new RefusingScheduler(new TestScheduler());
        var signals = new Subject<Unit>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0)),
            Scheduler = scheduler,
            Triggers = new MemoryPressureTriggers { Custom = signals, Gen2Collections = false, Collections = false, PressureStall = false, UsageThresholds = false, PressureLevel = false },
        });
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);

        scheduler.Refuse = true;
        signals.OnNext(Unit.Default);

        Assert.IsType<ObjectDisposedException>(Assert.Single(errors));
    }

    [Fact]
    public void Disposal_unsubscribes_the_trigger_stream()
    {
        var scheduler = new TestScheduler();
        var requests = new Subject<Unit>();
        var manager = Manager(scheduler, new DelegateProbe(_ => Pressure.AtLevel(0, 0)), requests);

        Assert.True(requests.HasObservers);
        manager.Dispose();

        Assert.False(requests.HasObservers);
    }

    [Theory]
    [InlineData(nameof(TestScheduler))]
    [InlineData(nameof(HistoricalScheduler))]
    public void With_a_virtual_time_scheduler_the_runtime_and_kernel_sources_are_off_and_say_why(string kind)
    {
        IScheduler scheduler = kind == nameof(TestScheduler) ? new TestScheduler() : new HistoricalScheduler();
        using var manager = Manager(scheduler, new DelegateProbe(_ => Pressure.AtLevel(0, 0)), new Subject<Unit>());
        var statuses = manager.Triggers;

        Assert.Equal(Enum.GetValues<TriggerSource>(), statuses.Select(s => s.Source));
        Assert.All(statuses.Where(s => s.Source != TriggerSource.Custom), s =>
        {
            Assert.Equal(TriggerState.Off, s.State);
            Assert.Contains("virtual time", s.Detail);
        });
        Assert.Equal(TriggerState.Active, statuses.Single(s => s.Source == TriggerSource.Custom).State);
    }

    [Fact]
    public void With_samples_given_every_source_is_off_for_there_is_no_probe_to_read()
    {
        var requests = new Subject<Unit>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Samples = new Subject<MemorySample>(),
            Triggers = new MemoryPressureTriggers { Custom = requests },
        });

        Assert.All(manager.Triggers, s =>
        {
            Assert.Equal(TriggerState.Off, s.State);
            Assert.Contains("MemoryPressureOptions.Samples", s.Detail);
        });
        Assert.False(requests.HasObservers);
    }

    [Fact]
    public void A_source_turned_off_says_which_option_turned_it_off()
    {
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0)),
            Triggers = MemoryPressureTriggers.None,
        });

        Assert.Equal(
            [
                "Gen2Collection: Off (MemoryPressureTriggers.Gen2Collections is false), 0 signals",
                "PressureStall: Off (MemoryPressureTriggers.PressureStall is false), 0 signals",
                "UsageThreshold: Off (MemoryPressureTriggers.UsageThresholds is false), 0 signals",
                "PressureLevel: Off (MemoryPressureTriggers.PressureLevel is false), 0 signals",
                "Custom: Off (MemoryPressureTriggers.Custom is not set), 0 signals",
                "Collection: Off (MemoryPressureTriggers.Collections is false), 0 signals",
                "MemoryEvents: Off (MemoryPressureTriggers.MemoryEvents is false), 0 signals",
                "LimitWrites: Off (MemoryPressureTriggers.LimitWrites is false), 0 signals",
            ],
            manager.Triggers.Select(s => s.ToString()));
    }

    /// <summary>A scheduler that, once told to, refuses all work as a disposed one would.</summary>
    private sealed class RefusingScheduler(IScheduler inner) : IScheduler
    {
        public bool Refuse { get; set; }

        public DateTimeOffset Now => inner.Now;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, action);

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, dueTime, action);

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, dueTime, action);
    }
}
