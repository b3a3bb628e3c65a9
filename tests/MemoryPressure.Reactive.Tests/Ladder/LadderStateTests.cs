using MemoryPressure.Reactive.Ladder;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Ladder;

/// <summary>The ladder's state machine as plain C#, without Rx.</summary>
public class LadderStateTests
{
    private static MemorySample At(long seconds, long used) => Pressure.Sample(TimeSpan.FromSeconds(seconds).Ticks, used);

    [Theory]
    [InlineData(50, 0)]
    [InlineData(75, 1)]
    [InlineData(85, 2)]
    [InlineData(95, 3)]
    public void The_level_is_the_highest_whose_condition_holds(long used, int level)
    {
        var state = new LadderState(Pressure.Ladder);

        Assert.Equal(level, state.Evaluate(At(0, used)));
        Assert.Equal(level, state.Level);
    }

    [Fact]
    public void Conditions_need_not_be_monotonic_level_3_holding_alone_gives_3()
    {
        var only3 = new SeverityLadder(new CustomCondition(() => false), new CustomCondition(() => false), new CustomCondition(() => true));

        Assert.Equal(3, new LadderState(only3).Evaluate(default));
    }

    [Fact]
    public void Each_condition_is_evaluated_once_per_sample()
    {
        var calls = new int[3];
        var ladder = new SeverityLadder([.. Enumerable.Range(0, 3).Select(i => new CustomCondition(() => ++calls[i] > 0))]);
        var state = new LadderState(ladder);

        state.Evaluate(default);
        state.Evaluate(default);

        Assert.Equal([2, 2, 2], calls);
    }

    [Fact]
    public void A_throwing_condition_leaves_the_state_as_it_was()
    {
        var fail = false;
        var ladder = new SeverityLadder(new LocalRelativeValue(30), new CustomCondition(s => fail ? throw new InvalidOperationException() : s.ProcessResidentBytes > 80));
        var state = new LadderState(ladder);
        Assert.Equal(2, state.Evaluate(At(0, 85)));

        fail = true;
        Assert.Throws<InvalidOperationException>(() => state.Evaluate(At(1, 50)));

        Assert.Equal(2, state.Level);
        fail = false;
        Assert.Equal(1, state.Evaluate(At(2, 75)));
    }

    [Fact]
    public void With_an_exit_condition_a_level_is_left_only_when_the_exit_holds()
    {
        var level = new LadderLevel(new LocalRelativeValue(10)) { ExitCondition = !new LocalRelativeValue(20) };
        var state = new LadderState(new SeverityLadder(level));

        Assert.Equal(1, state.Evaluate(At(0, 95)));
        Assert.Equal(1, state.Evaluate(At(1, 85)));
        Assert.Equal(1, state.Evaluate(At(2, 81)));
        Assert.Equal(0, state.Evaluate(At(3, 80)));
        Assert.Equal(0, state.Evaluate(At(4, 85)));
        Assert.Equal(1, state.Evaluate(At(5, 91)));
    }

    [Fact]
    public void EnterAfter_waits_for_the_condition_to_hold_that_long_on_sample_time()
    {
        var level = new LadderLevel(new LocalRelativeValue(10)) { EnterAfter = TimeSpan.FromSeconds(5) };
        var state = new LadderState(new SeverityLadder(level));

        Assert.Equal(0, state.Evaluate(At(0, 95)));
        Assert.Equal(0, state.Evaluate(At(4, 95)));
        Assert.Equal(1, state.Evaluate(At(5, 95)));
    }

    [Fact]
    public void EnterAfter_starts_again_when_the_condition_lapses()
    {
        var level = new LadderLevel(new LocalRelativeValue(10)) { EnterAfter = TimeSpan.FromSeconds(5) };
        var state = new LadderState(new SeverityLadder(level));

        state.Evaluate(At(0, 95));
        state.Evaluate(At(3, 50));
        Assert.Equal(0, state.Evaluate(At(4, 95)));
        Assert.Equal(0, state.Evaluate(At(8, 95)));
        Assert.Equal(1, state.Evaluate(At(9, 95)));
    }

    [Fact]
    public void EnterAfter_pending_from_a_later_clock_counts_from_the_earlier_one_when_the_clock_goes_back()
    {
        var ladder = new SeverityLadder(new LadderLevel(new LocalRelativeValue(30)) { EnterAfter = TimeSpan.FromTicks(100) });
        var state = new LadderState(ladder);

        state.Evaluate(Pressure.AtLevel(10_000, 1));
        state.Evaluate(Pressure.AtLevel(50, 1));

        Assert.Equal(1, state.Evaluate(Pressure.AtLevel(150, 1)));
    }

    [Fact]
    public void LeaveAfter_keeps_the_level_until_the_condition_to_leave_has_held_that_long()
    {
        var level = new LadderLevel(new LocalRelativeValue(10)) { LeaveAfter = TimeSpan.FromSeconds(10) };
        var state = new LadderState(new SeverityLadder(level));

        Assert.Equal(1, state.Evaluate(At(0, 95)));
        Assert.Equal(1, state.Evaluate(At(1, 50)));
        Assert.Equal(1, state.Evaluate(At(5, 95)));
        Assert.Equal(1, state.Evaluate(At(6, 50)));
        Assert.Equal(1, state.Evaluate(At(15, 50)));
        Assert.Equal(0, state.Evaluate(At(16, 50)));
    }

    [Fact]
    public void Hysteresis_and_dwell_apply_per_level_and_the_highest_level_in_effect_wins()
    {
        var ladder = new SeverityLadder(
            new LadderLevel(new LocalRelativeValue(30)) { LeaveAfter = TimeSpan.FromSeconds(3) },
            new LadderLevel(new LocalRelativeValue(10)) { EnterAfter = TimeSpan.FromSeconds(2) });
        var state = new LadderState(ladder);

        Assert.Equal(1, state.Evaluate(At(0, 95)));
        Assert.Equal(1, state.Evaluate(At(1, 95)));
        Assert.Equal(2, state.Evaluate(At(2, 95)));
        Assert.Equal(1, state.Evaluate(At(3, 50)));
        Assert.Equal(1, state.Evaluate(At(5, 50)));
        Assert.Equal(0, state.Evaluate(At(6, 50)));
    }

    [Fact]
    public void The_README_level_enters_after_5_s_and_leaves_above_20_percent_headroom_held_30_s()
    {
        var level =
            new LadderLevel(new LocalRelativeValue(10))
            {
                Name = "shed load",
                ExitCondition = !new LocalRelativeValue(20),   // once entered, left only above 20% headroom
                EnterAfter = TimeSpan.FromSeconds(5),          // the condition must hold 5 s first
                LeaveAfter = TimeSpan.FromSeconds(30),         // and the exit condition 30 s
            };
        var state = new LadderState(new SeverityLadder(level));

        Assert.Equal(0, state.Evaluate(At(0, 95)));
        Assert.Equal(1, state.Evaluate(At(5, 95)));
        Assert.Equal(1, state.Evaluate(At(10, 79)));
        Assert.Equal(1, state.Evaluate(At(39, 79)));
        Assert.Equal(0, state.Evaluate(At(40, 79)));
    }

    [Fact]
    public void Dwell_times_refuse_negative_values()
    {
        var condition = new LocalRelativeValue(10);

        Assert.Equal("EnterAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new LadderLevel(condition) { EnterAfter = TimeSpan.FromTicks(-1) }).ParamName);
        Assert.Equal("LeaveAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new LadderLevel(condition) { LeaveAfter = TimeSpan.FromTicks(-1) }).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentNullException>(() => new LadderLevel(null!)).ParamName);
    }

    [Fact]
    public void A_ladder_refuses_null_levels_naming_the_parameter_and_the_level()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new SeverityLadder(new LocalRelativeValue(10), null!));
        Assert.Equal("levels", e.ParamName);
        Assert.Contains("Level 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("levels", Assert.Throws<ArgumentNullException>(() => new SeverityLadder((MemoryCondition[])null!)).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentNullException>(() => new SeverityLadder((LadderLevel[])null!)).ParamName);
        Assert.Equal("levels", Assert.Throws<ArgumentNullException>(() => new SeverityLadder(new LadderLevel(new LocalRelativeValue(1)), null!)).ParamName);
    }

    [Fact]
    public void A_ladder_gives_its_levels_by_number_and_describes_itself()
    {
        var ladder = new SeverityLadder(
            new LadderLevel(new LocalRelativeValue(20)) { Name = "trim" },
            new LadderLevel(new LocalRelativeValue(10)) { ExitCondition = !new LocalRelativeValue(15) });

        Assert.Equal(2, ladder.Count);
        Assert.Equal("trim", ladder.GetLevel(1).Name);
        Assert.Equal("1: trim: LocalRelative < 20%" + Environment.NewLine + "2: LocalRelative < 10% (leave on !(LocalRelative < 15%))", ladder.ToString());
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => ladder.GetLevel(0)).ParamName);
        Assert.Contains("1..2", Assert.Throws<ArgumentOutOfRangeException>(() => ladder.GetLevel(3)).Message, StringComparison.Ordinal);
    }
}
