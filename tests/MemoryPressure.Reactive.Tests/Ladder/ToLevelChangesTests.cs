using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Ladder;

public class ToLevelChangesTests : ReactiveTest
{
    private static Recorded<System.Reactive.Notification<MemorySample>> Level(long ticks, int level) =>
        OnNext(ticks, Pressure.AtLevel(ticks, level));

    private static Recorded<System.Reactive.Notification<LevelChanged>> Step(long ticks, int from, int to, int sampleLevel) =>
        OnNext(ticks, new LevelChanged(from, to, Pressure.AtLevel(ticks, sampleLevel)));

    [Fact]
    public void Argument_checks()
    {
        Assert.Equal("samples", Assert.Throws<ArgumentNullException>(() => ((IObservable<MemorySample>)null!).ToLevelChanges(Pressure.Ladder)).ParamName);
        Assert.Equal("ladder", Assert.Throws<ArgumentNullException>(() => new TestScheduler().CreateHotObservable<MemorySample>().ToLevelChanges(null!)).ParamName);
    }

    [Fact]
    public void Never_emits_nothing()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(() => scheduler.CreateHotObservable<MemorySample>().ToLevelChanges(Pressure.Ladder));

        Assert.Empty(results.Messages);
    }

    [Fact]
    public void Empty_completes()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(OnCompleted<MemorySample>(250));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.AssertEqual(OnCompleted<LevelChanged>(250));
    }

    [Fact]
    public void One_calm_sample_emits_nothing()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(Level(210, 0), OnCompleted<MemorySample>(250));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.AssertEqual(OnCompleted<LevelChanged>(250));
    }

    [Fact]
    public void Jump_from_0_to_3_enters_each_level_in_order()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(Level(210, 3));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.AssertEqual(Step(210, 0, 1, 3), Step(210, 1, 2, 3), Step(210, 2, 3, 3));
    }

    [Fact]
    public void Drop_from_3_to_1_leaves_3_then_2()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(Level(210, 3), Level(220, 1));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.Skip(3).ToList().AssertEqual(Step(220, 3, 2, 1), Step(220, 2, 1, 1));
    }

    [Fact]
    public void Some_data_walks_up_and_down_one_step_at_a_time()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(
            Level(150, 3), Level(210, 1), Level(220, 1), Level(230, 2), Level(240, 0), Level(250, 0), OnCompleted<MemorySample>(260));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.AssertEqual(
            Step(210, 0, 1, 1),
            Step(230, 1, 2, 2),
            Step(240, 2, 1, 0),
            Step(240, 1, 0, 0),
            OnCompleted<LevelChanged>(260));
    }

    [Fact]
    public void A_non_monotonic_ladder_steps_through_levels_whose_conditions_do_not_hold()
    {
        var scheduler = new TestScheduler();
        var ladder = new SeverityLadder(new CustomCondition(() => false), new LocalRelativeValue(10));
        var samples = scheduler.CreateHotObservable(Level(210, 3));

        var results = scheduler.Start(() => samples.ToLevelChanges(ladder));

        results.Messages.AssertEqual(Step(210, 0, 1, 3), Step(210, 1, 2, 3));
    }

    [Fact]
    public void Each_subscription_starts_at_level_0_with_its_own_state()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(Level(210, 2), Level(310, 2), Level(320, 3));
        var changes = samples.ToLevelChanges(Pressure.Ladder);
        var early = scheduler.CreateObserver<LevelChanged>();
        var late = scheduler.CreateObserver<LevelChanged>();

        scheduler.ScheduleAbsolute(200, () => changes.Subscribe(early));
        scheduler.ScheduleAbsolute(300, () => changes.Subscribe(late));
        scheduler.Start();

        early.Messages.AssertEqual(Step(210, 0, 1, 2), Step(210, 1, 2, 2), Step(320, 2, 3, 3));
        late.Messages.AssertEqual(Step(310, 0, 1, 2), Step(310, 1, 2, 2), Step(320, 2, 3, 3));
    }

    [Fact]
    public void A_throwing_condition_ends_the_stream_with_its_error()
    {
        var scheduler = new TestScheduler();
        var failure = new InvalidOperationException("condition broke");
        var ladder = new SeverityLadder(new CustomCondition(s => s.ProcessResidentBytes > 90 ? throw failure : s.ProcessResidentBytes > 70));
        var samples = scheduler.CreateHotObservable(Level(210, 1), Level(220, 3), Level(230, 0));

        var results = scheduler.Start(() => samples.ToLevelChanges(ladder));

        results.Messages.AssertEqual(Step(210, 0, 1, 1), OnError<LevelChanged>(220, failure));
        Assert.Equal([new Subscription(200, 220)], samples.Subscriptions);
    }

    [Fact]
    public void An_error_of_the_samples_passes_through()
    {
        var scheduler = new TestScheduler();
        var failure = new IOException("source broke");
        var samples = scheduler.CreateHotObservable(Level(210, 1), OnError<MemorySample>(220, failure));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder));

        results.Messages.AssertEqual(Step(210, 0, 1, 1), OnError<LevelChanged>(220, failure));
    }

    [Fact]
    public void Disposal_unsubscribes_from_the_samples()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(Level(210, 1), Level(400, 3));

        var results = scheduler.Start(() => samples.ToLevelChanges(Pressure.Ladder), 100, 200, 300);

        results.Messages.AssertEqual(Step(210, 0, 1, 1));
        Assert.Equal([new Subscription(200, 300)], samples.Subscriptions);
    }

    [Fact]
    public void Hysteresis_and_dwell_follow_sample_time_in_virtual_time()
    {
        var scheduler = new TestScheduler();
        var ladder = new SeverityLadder(new LadderLevel(new LocalRelativeValue(30))
        {
            EnterAfter = TimeSpan.FromTicks(20),
            ExitCondition = !new LocalRelativeValue(40),
        });
        var samples = scheduler.CreateHotObservable(
            Level(210, 1), Level(220, 1), Level(230, 1), Sample(240, 65), Sample(250, 55));

        var results = scheduler.Start(() => samples.ToLevelChanges(ladder));

        results.Messages.AssertEqual(
            OnNext(230, new LevelChanged(0, 1, Pressure.AtLevel(230, 1))),
            OnNext(250, new LevelChanged(1, 0, Pressure.Sample(250, 55))));
    }

    private static Recorded<System.Reactive.Notification<MemorySample>> Sample(long ticks, long used) =>
        OnNext(ticks, Pressure.Sample(ticks, used));
}
