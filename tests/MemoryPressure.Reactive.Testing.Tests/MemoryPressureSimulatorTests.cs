namespace MemoryPressure.Reactive.Testing.Tests;

public class MemoryPressureSimulatorTests
{
    private static SeverityLadder ThreeLevels() =>
        new(new LocalRelativeValue(30), new LocalRelativeValue(15) | new HeapRelativeValue(20), new GlobalRelativeValue(5));

    [Fact]
    public void A_pushed_sample_is_evaluated_at_once_at_the_clock_s_time()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels());
        var entered = new List<LevelChanged>();
        simulator.Manager.Entered(1).Subscribe(entered.Add);
        simulator.AdvanceBy(TimeSpan.FromMinutes(1));

        simulator.Push(TestSamples.Process(80 * MemoryUnits.MB, 100 * MemoryUnits.MB));

        Assert.Equal(1, simulator.Manager.SeverityLevel);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMinutes(1), Assert.Single(entered).Sample.Timestamp);
    }

    [Fact]
    public void Driving_up_and_down_steps_through_every_level_in_order()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels());
        var steps = new List<(int From, int To)>();
        simulator.Manager.Changes.Subscribe(change => steps.Add((change.From, change.To)));

        var top = simulator.DriveTo(3);
        simulator.DriveTo(1);
        simulator.DriveTo(0);

        Assert.Equal([(0, 1), (1, 2), (2, 3), (3, 2), (2, 1), (1, 0)], steps);
        Assert.True(new GlobalRelativeValue(5).CanFire(top));
        Assert.Equal(0, simulator.Manager.SeverityLevel);
    }

    [Fact]
    public void Each_level_is_reached_at_the_least_pressure_that_holds_it()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels());

        var first = simulator.DriveTo(1);
        var second = simulator.DriveTo(2);

        // 30% headroom of 1 GiB is left just above 70% use; level 2 comes first from the heap (20% of 768 MiB).
        Assert.InRange(first.ProcessResidentBytes, (long)(0.70 * MemoryUnits.GB), (long)(0.702 * MemoryUnits.GB));
        Assert.True(new HeapRelativeValue(20).CanFire(second));
        Assert.False(new LocalRelativeValue(15).CanFire(second));
    }

    [Fact]
    public void A_level_with_a_dwell_time_is_waited_for_in_virtual_time()
    {
        var slow = new LadderLevel(new LocalRelativeValue(30)) { EnterAfter = TimeSpan.FromSeconds(10) };
        using var simulator = new MemoryPressureSimulator(new SeverityLadder(slow));

        simulator.DriveTo(1);

        Assert.Equal(1, simulator.Manager.SeverityLevel);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(10), simulator.Now);
    }

    [Fact]
    public void A_level_held_by_its_exit_condition_is_left_through_level_0()
    {
        var sticky = new LadderLevel(new LocalRelativeValue(15)) { ExitCondition = !new LocalRelativeValue(50) };
        using var simulator = new MemoryPressureSimulator(new SeverityLadder(new LadderLevel(new LocalRelativeValue(30)), sticky));
        var steps = new List<(int From, int To)>();
        simulator.DriveTo(2);
        simulator.Manager.Changes.Subscribe(change => steps.Add((change.From, change.To)));

        simulator.DriveTo(1);

        Assert.Equal([(2, 1), (1, 0), (0, 1)], steps);
    }

    [Fact]
    public void Remaining_is_throttled_on_the_virtual_clock()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels());
        var reminders = 0;
        simulator.Manager.Remaining(1, TimeSpan.FromSeconds(10)).Subscribe(_ => reminders++);
        var sample = simulator.DriveTo(1);

        for (var second = 0; second < 30; second++)
        {
            simulator.AdvanceBy(TimeSpan.FromSeconds(1));
            simulator.Push(sample with { Timestamp = default });
        }

        Assert.Equal(3, reminders);
    }

    [Fact]
    public void A_level_no_figure_reaches_is_reported_with_the_ladder()
    {
        using var simulator = new MemoryPressureSimulator(new SeverityLadder(new LocalRelativeValue(10), new CustomCondition(() => false)));

        var e = Assert.Throws<InvalidOperationException>(() => simulator.DriveTo(2));

        Assert.Contains("level 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, simulator.Manager.SeverityLevel);
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_them()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels());

        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => simulator.DriveTo(4)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => simulator.DriveTo(-1)).ParamName);
        Assert.Equal("time", Assert.Throws<ArgumentOutOfRangeException>(() => simulator.AdvanceBy(TimeSpan.FromTicks(-1))).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => simulator.Baseline = default).ParamName);
        Assert.Equal("ladder", Assert.Throws<ArgumentNullException>(() => new MemoryPressureSimulator(null!)).ParamName);
        Assert.Equal(
            "configure",
            Assert.Throws<ArgumentException>(() => new MemoryPressureSimulator(ThreeLevels(), o => o.Probe = new FakeMemoryProbe())).ParamName);
    }

    [Fact]
    public void Options_other_than_the_feed_and_the_clock_reach_the_manager()
    {
        using var simulator = new MemoryPressureSimulator(ThreeLevels(), o => o.MaximumAvailableBytes = 100 * MemoryUnits.MB);
        simulator.Baseline = TestSamples.Process(0, 100 * MemoryUnits.MB);

        simulator.Push(TestSamples.Process(90 * MemoryUnits.MB, MemoryUnits.GB));

        Assert.Equal(2, simulator.Manager.SeverityLevel);
    }

    [Fact]
    public void After_disposal_the_manager_is_disposed_and_pushing_throws()
    {
        var simulator = new MemoryPressureSimulator(ThreeLevels());
        var completed = false;
        simulator.Manager.Changes.Subscribe(_ => { }, () => completed = true);

        simulator.Dispose();

        Assert.True(completed);
        Assert.Throws<ObjectDisposedException>(() => simulator.Push(TestSamples.Process(1, 100)));
    }
}
