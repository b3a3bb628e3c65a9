namespace MemoryPressure.Reactive.Tests.Conditions;

/// <summary>How soon each kind of condition predicts it will hold, from two samples one second apart.</summary>
public class ApproachTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Used bytes of 1000 (process), heap bytes of 800 (GC limit), available of 2000 (system): each falls by 100 a second.
    private static MemorySample At(int second, long used, long heap, long available) => new()
    {
        Timestamp = Start.AddSeconds(second),
        ProcessResidentBytes = used,
        ProcessLimitBytes = 1000,
        ManagedHeapBytes = heap,
        GcHeapHardLimitBytes = 800,
        SystemAvailableBytes = available,
        SystemTotalBytes = 2000,
    };

    private static readonly MemorySample Before = At(0, 500, 300, 1500);
    private static readonly MemorySample Now = At(1, 600, 400, 1400);

    public static TheoryData<MemoryCondition, double> Approaching() => new()
    {
        { new LocalRelativeValue(20), 2 },      // headroom 400, falls under 200 in 2 s
        { new LocalAbsoluteValue(100), 3 },
        { new HeapRelativeValue(25), 2 },       // heap headroom 400, under 200 in 2 s
        { new HeapAbsoluteValue(300), 1 },
        { new GlobalRelativeValue(50), 4 },     // available 1400, under 1000 in 4 s
        { new GlobalAbsoluteValue(1300), 1 },
        { new LocalRelativeValue(20) | new HeapAbsoluteValue(300), 1 },   // the soonest
        { new LocalRelativeValue(20) & new HeapAbsoluteValue(300), 2 },   // the last to hold
        { new LocalRelativeValue(90), 0 },      // holds already
    };

    [Theory]
    [MemberData(nameof(Approaching))]
    public void A_condition_predicts_when_it_will_hold_at_the_slope_between_two_samples(MemoryCondition condition, double seconds) =>
        Assert.Equal(seconds, condition.SecondsToFire(Before, Now, 1), 9);

    public static TheoryData<MemoryCondition> Silent() =>
    [
        !new LocalRelativeValue(20),
        new CustomCondition(() => true),
        new CustomCondition(_ => false),
    ];

    [Theory]
    [MemberData(nameof(Silent))]
    public void Negations_and_custom_conditions_predict_nothing(MemoryCondition condition) =>
        Assert.Equal(double.PositiveInfinity, condition.SecondsToFire(Before, Now, 1));

    [Fact]
    public void Flat_or_recovering_memory_predicts_nothing_and_so_does_a_clock_that_went_back()
    {
        var condition = new LocalRelativeValue(20);

        Assert.Equal(double.PositiveInfinity, condition.SecondsToFire(Now, Now with { Timestamp = Now.Timestamp.AddSeconds(1) }, 1));
        Assert.Equal(double.PositiveInfinity, condition.SecondsToFire(Now, Before, 1));
        Assert.Equal(double.PositiveInfinity, condition.SecondsToFire(Before, Now, -1));
        Assert.Equal(double.PositiveInfinity, condition.SecondsToFire(Before, Now, 0));
    }

    [Fact]
    public void A_sample_with_an_unknown_limit_predicts_nothing()
    {
        Assert.Equal(double.PositiveInfinity, new LocalRelativeValue(20).SecondsToFire(Before with { ProcessLimitBytes = 0 }, Now, 1));
        Assert.Equal(double.PositiveInfinity, new HeapRelativeValue(20).SecondsToFire(Before, Now with { GcHeapHardLimitBytes = 0 }, 1));
    }
}
