using MemoryPressure.Reactive.Manager;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>Usage thresholds derived from a ladder's conditions: pure, no kernel.</summary>
public class LadderThresholdsTests
{
    private const long MiB = 1L << 20;
    private const long Limit = 128 * MiB;

    private static long[] Place(SeverityLadder ladder, long limit = Limit, long offset = 0)
    {
        var thresholds = LadderThresholds.Derive(ladder);
        var destination = new long[thresholds.Capacity];
        return destination[..thresholds.Place(limit, offset, destination)];
    }

    [Fact]
    public void Local_absolute_and_relative_values_give_the_usage_at_which_they_start_to_hold()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(25), new LocalAbsoluteValue(8 * MiB));

        Assert.Equal([96 * MiB, 120 * MiB], Place(ladder));
    }

    [Fact]
    public void Every_threshold_holds_its_condition_just_above_and_not_just_below()
    {
        MemoryCondition[] conditions = [new LocalRelativeValue(33.3), new LocalAbsoluteValue(5_000_001), new LocalRelativeValue(0.5)];
        var thresholds = Place(new SeverityLadder(conditions));

        Assert.Equal(3, thresholds.Length);
        foreach (var threshold in thresholds)
        {
            Assert.Single(conditions, c => c.CanFire(Sample(threshold + 1)) && !c.CanFire(Sample(threshold - 1)));
        }

        static MemorySample Sample(long resident) => new() { ProcessResidentBytes = resident, ProcessLimitBytes = Limit };
    }

    [Fact]
    public void Local_parts_inside_all_any_and_not_and_in_exit_conditions_give_thresholds_too()
    {
        var ladder = new SeverityLadder(
            new LadderLevel(new LocalRelativeValue(25) & new GlobalRelativeValue(10)) { ExitCondition = !new LocalRelativeValue(50) },
            new LadderLevel(new Any(new Not(new LocalAbsoluteValue(16 * MiB)), new CustomCondition(() => false))));

        Assert.Equal([64 * MiB, 96 * MiB, 112 * MiB], Place(ladder));
    }

    [Fact]
    public void Thresholds_shared_by_levels_are_placed_once_in_order()
    {
        var ladder = new SeverityLadder(new LocalAbsoluteValue(32 * MiB), new LocalRelativeValue(25), new LocalAbsoluteValue(64 * MiB));

        Assert.Equal([64 * MiB, 96 * MiB], Place(ladder));
    }

    [Fact]
    public void The_cgroup_usage_beyond_the_resident_set_moves_every_threshold()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(25), new LocalAbsoluteValue(8 * MiB));

        Assert.Equal([106 * MiB, 130 * MiB], Place(ladder, offset: 10 * MiB));
        Assert.Equal([90 * MiB, 114 * MiB], Place(ladder, offset: -6 * MiB));
    }

    [Fact]
    public void An_unknown_limit_gives_no_threshold()
    {
        Assert.Empty(Place(new SeverityLadder(new LocalRelativeValue(25)), limit: 0));
    }

    [Fact]
    public void A_part_that_holds_at_any_usage_gives_no_threshold()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(100), new LocalAbsoluteValue(Limit), new LocalAbsoluteValue(2 * Limit));

        Assert.Empty(Place(ladder));
    }

    [Fact]
    public void Global_and_custom_conditions_give_no_threshold_and_their_levels_are_left_to_polling()
    {
        var ladder = new SeverityLadder(
            new LocalRelativeValue(25),
            new LocalRelativeValue(10) | new GlobalAbsoluteValue(MiB),
            new GlobalRelativeValue(5),
            new CustomCondition(_ => true));
        var thresholds = LadderThresholds.Derive(ladder);

        Assert.Equal(2, thresholds.Capacity);
        Assert.Equal(
            [LadderThresholds.Coverage.Full, LadderThresholds.Coverage.Partial, LadderThresholds.Coverage.None, LadderThresholds.Coverage.None],
            thresholds.Levels);
        Assert.Equal(
            "2 thresholds on /u: 96 MiB, 115.2 MiB; level 2 partly by polling; level 3, 4 by polling only",
            thresholds.Describe([96 * MiB, 115 * MiB + (MiB / 5)], "/u"));
    }
}
