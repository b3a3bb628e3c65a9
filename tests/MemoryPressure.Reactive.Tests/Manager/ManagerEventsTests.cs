using System.Reactive.Linq;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

public class ManagerEventsTests : ReactiveTest
{
    private static LevelChanged Step(long ticks, int from, int to, int sampleLevel) =>
        new(from, to, Pressure.AtLevel(ticks, sampleLevel));

    [Fact]
    public void A_path_0_3_1_0_gives_every_step_on_Changes_Entered_Left_Levels_and_MemoryNormal()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 0), (220, 3), (230, 1), (240, 0)));
        var changes = harness.Record(harness.Manager.Changes);
        var entered = Enumerable.Range(1, 3).Select(l => harness.Record(harness.Manager.Entered(l))).ToArray();
        var left = Enumerable.Range(1, 3).Select(l => harness.Record(harness.Manager.Left(l))).ToArray();
        var levels = harness.Record(harness.Manager.Levels);
        var normal = harness.Record(harness.Manager.MemoryNormal);

        harness.Scheduler.Start();

        changes.Messages.AssertEqual(
            OnNext(220, Step(220, 0, 1, 3)), OnNext(220, Step(220, 1, 2, 3)), OnNext(220, Step(220, 2, 3, 3)),
            OnNext(230, Step(230, 3, 2, 1)), OnNext(230, Step(230, 2, 1, 1)),
            OnNext(240, Step(240, 1, 0, 0)));
        entered[0].Messages.AssertEqual(OnNext(220, Step(220, 0, 1, 3)));
        entered[1].Messages.AssertEqual(OnNext(220, Step(220, 1, 2, 3)));
        entered[2].Messages.AssertEqual(OnNext(220, Step(220, 2, 3, 3)));
        left[2].Messages.AssertEqual(OnNext(230, Step(230, 3, 2, 1)));
        left[1].Messages.AssertEqual(OnNext(230, Step(230, 2, 1, 1)));
        left[0].Messages.AssertEqual(OnNext(240, Step(240, 1, 0, 0)));
        levels.Messages.AssertEqual(
            OnNext(0, 0), OnNext(220, 1), OnNext(220, 2), OnNext(220, 3), OnNext(230, 2), OnNext(230, 1), OnNext(240, 0));
        normal.Messages.AssertEqual(OnNext(240, Step(240, 1, 0, 0)));
        Assert.Equal(0, harness.Manager.SeverityLevel);
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public void MemoryNormal_never_fires_at_start_up_nor_while_memory_stays_fine()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 0), (220, 0), (230, 1), (240, 2), (250, 0), (260, 0)));
        var normal = harness.Record(harness.Manager.MemoryNormal);

        harness.Scheduler.Start();

        normal.Messages.AssertEqual(OnNext(250, Step(250, 1, 0, 0)));
    }

    [Fact]
    public void Levels_replays_the_current_level_at_subscription()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (300, 1)));
        var late = harness.Scheduler.CreateObserver<int>();
        harness.Scheduler.ScheduleAbsolute(250, () => harness.Manager.Levels.Subscribe(late));

        harness.Scheduler.Start();

        late.Messages.AssertEqual(OnNext(250, 2), OnNext(300, 1));
    }

    [Fact]
    public void A_Levels_observer_added_by_a_Changes_handler_starts_from_the_level_before_the_step_then_gets_the_step()
    {
        // Inside a step's Changes handlers SeverityLevel is already the step's level, but Levels has not
        // told it yet: the newcomer is told the level before the step, then the step, once each.
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2)));
        var late = new List<int>();
        using var _ = harness.Manager.Changes.Take(1).Subscribe(_ => harness.Manager.Levels.Subscribe(late.Add));

        harness.Scheduler.Start();

        Assert.Equal([0, 1, 2], late);
    }

    [Fact]
    public void SeverityLevel_is_already_the_step_level_inside_the_step_handlers()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 3), (220, 0)));
        var seen = new List<(int Level, int Current)>();
        for (var level = 1; level <= 3; level++)
        {
            var captured = level;
            harness.Manager.Entered(level).Subscribe(_ => seen.Add((captured, harness.Manager.SeverityLevel)));
            harness.Manager.Left(level).Subscribe(_ => seen.Add((-captured, harness.Manager.SeverityLevel)));
        }

        harness.Scheduler.Start();

        Assert.Equal([(1, 1), (2, 2), (3, 3), (-3, 2), (-2, 1), (-1, 0)], seen);
    }

    [Fact]
    public void One_sample_publishes_each_event_to_all_subscribers_in_subscription_order_before_the_next_event()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (220, 2), (230, 0)));
        var log = new List<string>();
        var manager = harness.Manager;
        manager.Samples.Subscribe(s => log.Add($"sample {s.ProcessResidentBytes}"));
        manager.Remaining(1).Subscribe(_ => log.Add("remaining 1"));
        manager.Remaining(2).Subscribe(_ => log.Add("remaining 2"));
        for (var subscriber = 'a'; subscriber <= 'b'; subscriber++)
        {
            var name = subscriber;
            manager.Changes.Subscribe(c => log.Add($"{name} change {c.From}->{c.To}"));
            manager.Entered(1).Subscribe(_ => log.Add($"{name} entered 1"));
            manager.Entered(2).Subscribe(_ => log.Add($"{name} entered 2"));
            manager.Left(1).Subscribe(_ => log.Add($"{name} left 1"));
            manager.Left(2).Subscribe(_ => log.Add($"{name} left 2"));
            manager.MemoryNormal.Subscribe(_ => log.Add($"{name} normal"));
        }

        var cache = new object();
        manager.CleanupOnEntered(1, cache, _ => log.Add("cleanup 1"));
        manager.CleanupOnEntered(2, cache, _ => log.Add("cleanup 2"));

        harness.Scheduler.Start();

        Assert.Equal(
        [
            "sample 85",
            "a change 0->1", "b change 0->1", "a entered 1", "b entered 1", "cleanup 1",
            "a change 1->2", "b change 1->2", "a entered 2", "b entered 2", "cleanup 2",
            "sample 85",
            "remaining 1", "remaining 2",
            "sample 50",
            "a change 2->1", "b change 2->1", "a left 2", "b left 2",
            "a change 1->0", "b change 1->0", "a left 1", "b left 1", "a normal", "b normal",
        ], log);
        GC.KeepAlive(cache);
    }

    [Fact]
    public void Remaining_fires_on_samples_where_the_level_was_and_still_is_in_effect()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 0), (220, 0), (230, 2), (240, 3), (250, 1), (260, 1), (270, 0)));
        var remaining = Enumerable.Range(0, 4).Select(l => harness.Record(harness.Manager.Remaining(l))).ToArray();

        harness.Scheduler.Start();

        Assert.Equal([210L, 220L], remaining[0].Messages.Select(m => m.Time));
        Assert.Equal([240L, 250L, 260L], remaining[1].Messages.Select(m => m.Time));
        Assert.Equal([240L], remaining[2].Messages.Select(m => m.Time));
        Assert.Empty(remaining[3].Messages);
    }

    [Fact]
    public void Remaining_is_throttled_on_sample_time_per_subscriber()
    {
        var samples = ManagerHarness.Levels([(210, 1), .. Enumerable.Range(0, 10).Select(i => (220L + (i * 10), 1))]);
        using var harness = new ManagerHarness(Pressure.Ladder, samples);
        var every = harness.Record(harness.Manager.Remaining(1));
        var throttled = harness.Record(harness.Manager.Remaining(1, TimeSpan.FromTicks(30)));
        var late = harness.Scheduler.CreateObserver<MemorySample>();
        harness.Scheduler.ScheduleAbsolute(245, () => harness.Manager.Remaining(1, TimeSpan.FromTicks(30)).Subscribe(late));

        harness.Scheduler.Start();

        Assert.Equal(10, every.Messages.Count);
        Assert.Equal([220L, 250L, 280L, 310L], throttled.Messages.Select(m => m.Time));
        Assert.Equal([250L, 280L, 310L], late.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_Remaining_throttle_counts_again_from_a_clock_that_goes_back_instead_of_falling_silent()
    {
        var backwards = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = backwards });
        var seen = new List<long>();
        manager.Remaining(1, TimeSpan.FromTicks(100)).Subscribe(s => seen.Add(s.Timestamp.UtcTicks));

        foreach (var ticks in new long[] { 1000, 1100, 1200, 50, 150, 1050, 1200 })
        {
            backwards.OnNext(Pressure.AtLevel(ticks, 1));
        }

        // 1000 enters the level; then every sample 100 ticks after the last one seen, counting again from 50.
        Assert.Equal([1100L, 1200L, 50L, 150L, 1050L, 1200L], seen);
    }

    [Fact]
    public void MaximumAvailableBytes_replaces_the_limit_of_every_sample()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(OnNext(210, new MemorySample { ProcessResidentBytes = 95, ProcessLimitBytes = 10_000 }));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = samples, MaximumAvailableBytes = 100 });
        var seen = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(seen);

        scheduler.Start();

        var sample = Assert.Single(seen.Messages).Value.Value;
        Assert.Equal(100, sample.ProcessLimitBytes);
        Assert.Equal(MemoryLimitSource.Explicit, sample.ProcessLimitSource);
        Assert.Equal(3, manager.SeverityLevel);
    }

    [Fact]
    public void Stop_pauses_evaluation_keeping_the_level_and_Resume_goes_on_from_it()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (230, 0), (240, 3), (260, 3)));
        var changes = harness.Record(harness.Manager.Changes);
        var samples = harness.Record(harness.Manager.Samples);
        harness.Scheduler.ScheduleAbsolute(220, harness.Manager.Stop);
        harness.Scheduler.ScheduleAbsolute(250, harness.Manager.Resume);

        harness.Scheduler.AdvanceTo(245);
        Assert.True(harness.Manager.IsStopped);
        Assert.Equal(2, harness.Manager.SeverityLevel);
        harness.Scheduler.Start();

        Assert.False(harness.Manager.IsStopped);
        Assert.Equal([210L, 260L], samples.Messages.Select(m => m.Time));
        changes.Messages.AssertEqual(OnNext(210, Step(210, 0, 1, 2)), OnNext(210, Step(210, 1, 2, 2)), OnNext(260, Step(260, 2, 3, 3)));
    }

    [Fact]
    public void Hysteresis_and_dwell_times_apply_in_the_manager_on_sample_time()
    {
        var ladder = new SeverityLadder(new LadderLevel(new LocalRelativeValue(30)) { EnterAfter = TimeSpan.FromTicks(20), LeaveAfter = TimeSpan.FromTicks(20) });
        using var harness = new ManagerHarness(ladder, ManagerHarness.Levels((210, 1), (220, 1), (230, 1), (240, 0), (250, 1), (260, 0), (270, 0), (280, 0)));
        var entered = harness.Record(harness.Manager.Entered(1));
        var left = harness.Record(harness.Manager.Left(1));

        harness.Scheduler.Start();

        Assert.Equal([230L], entered.Messages.Select(m => m.Time));
        Assert.Equal([280L], left.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_sample_fed_from_inside_a_handler_is_judged_after_the_current_one()
    {
        var scheduler = new TestScheduler();
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        var log = new List<string>();
        manager.Entered(1).Subscribe(_ =>
        {
            log.Add("entered 1");
            feed.OnNext(Pressure.AtLevel(2, 0));
            log.Add("fed");
        });
        manager.Entered(2).Subscribe(_ => log.Add("entered 2"));
        manager.Left(2).Subscribe(_ => log.Add("left 2"));
        manager.Left(1).Subscribe(_ => log.Add("left 1"));

        feed.OnNext(Pressure.AtLevel(1, 2));

        Assert.Equal(["entered 1", "fed", "entered 2", "left 2", "left 1"], log);
        Assert.Equal(0, manager.SeverityLevel);
    }

    [Fact]
    public void Stop_from_a_handler_drops_the_samples_it_fed_instead_of_judging_them_after_newer_ones()
    {
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        var judged = new List<long>();
        manager.Samples.Subscribe(s => judged.Add(s.Timestamp.UtcTicks));
        using (manager.Entered(1).Subscribe(_ =>
        {
            feed.OnNext(Pressure.AtLevel(2, 0));
            manager.Stop();
        }))
        {
            feed.OnNext(Pressure.AtLevel(1, 1));
        }

        manager.Resume();
        feed.OnNext(Pressure.AtLevel(3, 0));

        Assert.Equal([1L, 3L], judged);
    }
}
