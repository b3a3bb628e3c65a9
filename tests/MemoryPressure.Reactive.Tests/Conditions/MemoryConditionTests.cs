using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Conditions;

public class MemoryConditionTests : ReactiveTest
{
    private static MemorySample System(long total, long available) => new() { SystemTotalBytes = total, SystemAvailableBytes = available };

    private static MemorySample Process(long limit, long resident) => new() { ProcessLimitBytes = limit, ProcessResidentBytes = resident };

    private static MemorySample Heap(long limit, long heap) => new() { GcHeapHardLimitBytes = limit, ManagedHeapBytes = heap };

    [Theory]
    [InlineData(1000, 99, 100, true)]
    [InlineData(1000, 100, 100, false)]
    [InlineData(1000, 500, 100, false)]
    [InlineData(0, 50, 100, true)]
    [InlineData(1000, -5, 1, true)]
    public void GlobalAbsoluteValue_holds_when_system_available_is_below_the_bytes(long total, long available, long bytes, bool holds) =>
        Assert.Equal(holds, new GlobalAbsoluteValue(bytes).CanFire(System(total, available)));

    [Theory]
    [InlineData(1000, 99, 10, true)]
    [InlineData(1000, 100, 10, false)]
    [InlineData(1000, 999, 100, true)]
    [InlineData(1000, 1000, 100, false)]
    [InlineData(0, 0, 10, false)]
    [InlineData(-1, 0, 10, false)]
    public void GlobalRelativeValue_holds_when_system_available_is_below_the_share_of_total(long total, long available, double percent, bool holds) =>
        Assert.Equal(holds, new GlobalRelativeValue(percent).CanFire(System(total, available)));

    [Theory]
    [InlineData(1000, 950, 100, true)]
    [InlineData(1000, 900, 100, false)]
    [InlineData(1000, 100, 100, false)]
    [InlineData(1000, 1200, 0, true)]
    [InlineData(0, 100, 100, false)]
    [InlineData(long.MaxValue, -10, 100, false)]
    public void LocalAbsoluteValue_holds_when_headroom_below_the_limit_is_under_the_bytes(long limit, long resident, long bytes, bool holds) =>
        Assert.Equal(holds, new LocalAbsoluteValue(bytes).CanFire(Process(limit, resident)));

    [Theory]
    [InlineData(1000, 950, 10, true)]
    [InlineData(1000, 900, 10, false)]
    [InlineData(1000, 100, 10, false)]
    [InlineData(1000, 1100, 10, true)]
    [InlineData(0, 100, 10, false)]
    [InlineData(long.MaxValue, long.MaxValue, 10, true)]
    public void LocalRelativeValue_holds_when_headroom_is_under_the_share_of_the_limit(long limit, long resident, double percent, bool holds) =>
        Assert.Equal(holds, new LocalRelativeValue(percent).CanFire(Process(limit, resident)));

    [Theory]
    [InlineData(1000, 950, 100, true)]
    [InlineData(1000, 900, 100, false)]
    [InlineData(1000, 1200, 0, true)]
    [InlineData(0, 100, 100, false)]
    [InlineData(0, long.MaxValue, long.MaxValue, false)]
    [InlineData(long.MaxValue, -10, 100, false)]
    public void HeapAbsoluteValue_holds_when_headroom_below_the_GC_hard_limit_is_under_the_bytes(long limit, long heap, long bytes, bool holds) =>
        Assert.Equal(holds, new HeapAbsoluteValue(bytes).CanFire(Heap(limit, heap)));

    [Theory]
    [InlineData(1000, 850, 20, true)]
    [InlineData(1000, 800, 20, false)]
    [InlineData(1000, 1100, 10, true)]
    [InlineData(0, 100, 10, false)]
    [InlineData(0, 0, 100, false)]
    [InlineData(long.MaxValue, long.MaxValue, 10, true)]
    public void HeapRelativeValue_holds_when_headroom_below_the_GC_hard_limit_is_under_its_share(long limit, long heap, double percent, bool holds) =>
        Assert.Equal(holds, new HeapRelativeValue(percent).CanFire(Heap(limit, heap)));

    [Fact]
    public void Heap_conditions_look_at_the_heap_and_its_cap_not_at_the_process_or_the_machine()
    {
        var heapNearItsCap = new MemorySample { GcHeapHardLimitBytes = 192, ManagedHeapBytes = 180, ProcessLimitBytes = 256, ProcessResidentBytes = 190, SystemTotalBytes = 1000, SystemAvailableBytes = 900 };

        Assert.True(new HeapRelativeValue(10).CanFire(heapNearItsCap));
        Assert.True(new HeapAbsoluteValue(16).CanFire(heapNearItsCap));
        Assert.False(new LocalRelativeValue(10).CanFire(heapNearItsCap));
        Assert.False(new HeapRelativeValue(10).CanFire(heapNearItsCap with { ManagedHeapBytes = 150, ProcessResidentBytes = 250 }));
    }

    [Fact]
    public void CanFire_of_every_kind_allocates_nothing()
    {
        MemoryCondition[] kinds =
        [
            new GlobalAbsoluteValue(1), new GlobalRelativeValue(10), new LocalAbsoluteValue(1), new LocalRelativeValue(10),
            new HeapAbsoluteValue(16 * MemoryUnits.MB), new HeapRelativeValue(20),
        ];
        var sample = new MemorySample
        {
            SystemTotalBytes = 1000, SystemAvailableBytes = 500, ProcessLimitBytes = 1000, ProcessResidentBytes = 500,
            GcHeapHardLimitBytes = 192 * MemoryUnits.MB, ManagedHeapBytes = 180 * MemoryUnits.MB,
        };
        var holding = 0;
        foreach (var kind in kinds)
        {
            holding += kind.CanFire(sample) ? 1 : 0;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            foreach (var kind in kinds)
            {
                holding += kind.CanFire(sample) ? 1 : 0;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2 * 1001, holding);
    }

    [Fact]
    public void LocalRelativeValue_fixes_the_seed_inverted_formula_it_is_quiet_while_usage_is_low()
    {
        var condition = new LocalRelativeValue(10);

        Assert.False(condition.CanFire(Process(1000, 10)));
        Assert.True(condition.CanFire(Process(1000, 990)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.0001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Relative_values_refuse_percentages_outside_0_to_100(double percent)
    {
        var global = Assert.Throws<ArgumentOutOfRangeException>(() => new GlobalRelativeValue(percent));
        var local = Assert.Throws<ArgumentOutOfRangeException>(() => new LocalRelativeValue(percent));
        var heap = Assert.Throws<ArgumentOutOfRangeException>(() => new HeapRelativeValue(percent));

        Assert.Equal("percent", global.ParamName);
        Assert.Equal("percent", local.ParamName);
        Assert.Equal("percent", heap.ParamName);
        Assert.Contains("(0, 100]", local.Message, StringComparison.Ordinal);
        Assert.Contains("(0, 100]", heap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_values_refuse_negative_bytes()
    {
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => new GlobalAbsoluteValue(-1)).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => new LocalAbsoluteValue(-1)).ParamName);
        Assert.Equal("bytes", Assert.Throws<ArgumentOutOfRangeException>(() => new HeapAbsoluteValue(-1)).ParamName);
    }

    [Fact]
    public void Custom_conditions_come_from_a_function_of_nothing_or_of_the_sample()
    {
        var flag = false;
        var onDemand = new CustomCondition(() => flag);
        var onSample = new CustomCondition(s => s.ManagedHeapBytes > 10) { Description = "heap over 10 bytes" };

        Assert.False(onDemand.CanFire(default));
        flag = true;
        Assert.True(onDemand.CanFire(default));
        Assert.True(onSample.CanFire(new MemorySample { ManagedHeapBytes = 11 }));
        Assert.Equal("custom", onDemand.ToString());
        Assert.Equal("heap over 10 bytes", onSample.ToString());
    }

    [Fact]
    public void A_custom_condition_subclass_overrides_CanFire()
    {
        var condition = new QueueTooLong { Length = 5 };

        Assert.True(condition.CanFire(default));
        Assert.Equal(nameof(QueueTooLong), condition.ToString());
    }

    [Fact]
    public void A_custom_condition_subclass_that_forgets_CanFire_says_so()
    {
        var e = Assert.Throws<NotImplementedException>(() => new Forgetful().CanFire(default));
        Assert.Contains(nameof(Forgetful), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_conditions_refuse_null_functions()
    {
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => new CustomCondition((Func<bool>)null!)).ParamName);
        Assert.Equal("predicate", Assert.Throws<ArgumentNullException>(() => new CustomCondition((Func<MemorySample, bool>)null!)).ParamName);
    }

    [Theory]
    [InlineData(false, false, false, false, true)]
    [InlineData(true, false, false, true, false)]
    [InlineData(false, true, false, true, true)]
    [InlineData(true, true, true, true, false)]
    public void All_Any_and_Not_combine_like_and_or_and_not(bool a, bool b, bool all, bool any, bool notA)
    {
        var first = Constant(a);
        var second = Constant(b);

        Assert.Equal(all, new All(first, second).CanFire(default));
        Assert.Equal(any, new Any(first, second).CanFire(default));
        Assert.Equal(notA, new Not(first).CanFire(default));
        Assert.Equal(all, (first & second).CanFire(default));
        Assert.Equal(any, (first | second).CanFire(default));
        Assert.Equal(notA, (!first).CanFire(default));
        Assert.Equal(all, first.And(second).CanFire(default));
        Assert.Equal(any, first.Or(second).CanFire(default));
        Assert.Equal(notA, first.Not().CanFire(default));
    }

    [Fact]
    public void Empty_All_always_holds_and_empty_Any_never_does()
    {
        Assert.True(new All().CanFire(default));
        Assert.False(new Any().CanFire(default));
    }

    [Fact]
    public void All_and_Any_stop_at_the_first_condition_that_decides()
    {
        var calls = 0;
        var counted = new CustomCondition(() => ++calls > 0);

        new All(Constant(false), counted).CanFire(default);
        new Any(Constant(true), counted).CanFire(default);

        Assert.Equal(0, calls);
    }

    [Fact]
    public void Chains_of_the_same_operator_flatten()
    {
        var (a, b, c) = (new LocalRelativeValue(10), new GlobalAbsoluteValue(1), new LocalAbsoluteValue(2));

        var all = Assert.IsType<All>(a & b & c);
        var any = Assert.IsType<Any>(a | b | c);

        Assert.Equal([a, b, c], all.Conditions);
        Assert.Equal([a, b, c], any.Conditions);
    }

    [Fact]
    public void Composites_refuse_null_conditions_naming_the_parameter()
    {
        Assert.Equal("conditions", Assert.Throws<ArgumentNullException>(() => new All(null!)).ParamName);
        Assert.Equal("conditions", Assert.Throws<ArgumentNullException>(() => new Any(Constant(true), null!)).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentNullException>(() => new Not(null!)).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => Constant(true).And(null!)).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => Constant(true).Or(null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => Constant(true) & null!);
        Assert.Throws<ArgumentNullException>(() => null! | Constant(true));
        Assert.Throws<ArgumentNullException>(() => !(MemoryCondition)null!);
    }

    [Fact]
    public void Composites_keep_their_own_copy_of_the_conditions()
    {
        var conditions = new MemoryCondition[] { Constant(true) };
        var all = new All(conditions);

        conditions[0] = Constant(false);

        Assert.True(all.CanFire(default));
    }

    [Fact]
    public void ToString_gives_the_text_form_with_parentheses_only_where_needed()
    {
        var local = new LocalRelativeValue(10);
        var global = new GlobalAbsoluteValue(256 * MemoryUnits.MB);
        var available = new GlobalRelativeValue(12.5);

        Assert.Equal("LocalRelative < 10%", local.ToString());
        Assert.Equal("GlobalAbsolute < 256MB", global.ToString());
        Assert.Equal("LocalRelative < 10% | GlobalAbsolute < 256MB", (local | global).ToString());
        Assert.Equal("LocalRelative < 10% & GlobalAbsolute < 256MB | GlobalRelative < 12.5%", (local & global | available).ToString());
        Assert.Equal("LocalRelative < 10% & (GlobalAbsolute < 256MB | GlobalRelative < 12.5%)", (local & (global | available)).ToString());
        Assert.Equal("!(LocalRelative < 10% | GlobalAbsolute < 256MB)", (!(local | global)).ToString());
        Assert.Equal("!(LocalRelative < 10%) & !!(GlobalAbsolute < 256MB)", (!local & !!global).ToString());
        Assert.Equal("LocalRelative < 10% & (GlobalAbsolute < 256MB & GlobalRelative < 12.5%)", new All(local, new All(global, available)).ToString());
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(1000, "1000B")]
    [InlineData(1536, "1536B")]
    [InlineData(1024, "1KB")]
    [InlineData(3 * MemoryUnits.MB / 2, "1536KB")]
    [InlineData(256 * MemoryUnits.MB, "256MB")]
    [InlineData(2 * MemoryUnits.GB, "2GB")]
    [InlineData(MemoryUnits.GB + 1, "1073741825B")]
    public void Byte_thresholds_are_written_in_the_largest_exact_unit(long bytes, string text) =>
        Assert.Equal($"LocalAbsolute < {text}", new LocalAbsoluteValue(bytes).ToString());

    [Fact]
    public void Built_in_conditions_compare_by_value_and_custom_ones_by_reference()
    {
        MemoryCondition Make() => new LocalRelativeValue(10) & (new GlobalAbsoluteValue(5) | !new GlobalRelativeValue(20));
        var custom = new CustomCondition(() => true);

        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual<MemoryCondition>(new LocalRelativeValue(10), new GlobalRelativeValue(10));
        Assert.NotEqual<MemoryCondition>(new LocalAbsoluteValue(10), new LocalAbsoluteValue(11));
        Assert.NotEqual<MemoryCondition>(new All(Constant(true)), new Any(Constant(true)));
        Assert.Equal(custom, custom);
        Assert.NotEqual<MemoryCondition>(custom, new CustomCondition(() => true));
    }

    [Fact]
    public void Observe_gives_one_bool_per_sample_in_order_and_passes_the_end_on()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(
            OnNext(210, Pressure.Sample(210, 50)),
            OnNext(220, Pressure.Sample(220, 95)),
            OnNext(230, Pressure.Sample(230, 60)),
            OnCompleted<MemorySample>(240));

        var results = scheduler.Start(() => new LocalRelativeValue(10).Observe(samples));

        results.Messages.AssertEqual(OnNext(210, false), OnNext(220, true), OnNext(230, false), OnCompleted<bool>(240));
    }

    [Fact]
    public void Observe_ends_with_the_error_of_a_throwing_condition()
    {
        var scheduler = new TestScheduler();
        var failure = new InvalidOperationException("boom");
        var samples = scheduler.CreateHotObservable(OnNext(210, default(MemorySample)));

        var results = scheduler.Start(() => new CustomCondition(() => throw failure).Observe(samples));

        results.Messages.AssertEqual(OnError<bool>(210, failure));
    }

    [Fact]
    public void Observe_refuses_null_samples() =>
        Assert.Equal("samples", Assert.Throws<ArgumentNullException>(() => Constant(true).Observe(null!)).ParamName);

    private static CustomCondition Constant(bool value) => new(() => value) { Description = value ? "yes" : "no" };

    private sealed class QueueTooLong : CustomCondition
    {
        public int Length { get; init; }

        public override bool CanFire(MemorySample sample) => Length > 3;
    }

    private sealed class Forgetful : CustomCondition;
}
