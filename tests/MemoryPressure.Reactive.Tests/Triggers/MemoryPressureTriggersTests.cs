namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>The trigger options: defaults, and setters that refuse bad values by name.</summary>
public class MemoryPressureTriggersTests
{
    [Fact]
    public void Every_source_is_on_by_default_with_a_50_ms_gap()
    {
        var triggers = new MemoryPressureOptions().Triggers;

        Assert.True(triggers.Gen2Collections);
        Assert.True(triggers.PressureStall);
        Assert.True(triggers.UsageThresholds);
        Assert.True(triggers.PressureLevel);
        Assert.Equal("some 150000 1000000", triggers.PressureStallTrigger);
        Assert.Equal(CgroupPressureLevel.Medium, triggers.MinimumPressureLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(2), triggers.MinimumGap);
        Assert.Null(triggers.Custom);
    }

    [Fact]
    public void None_turns_every_source_off()
    {
        var none = MemoryPressureTriggers.None;

        Assert.False(none.Gen2Collections || none.PressureStall || none.UsageThresholds || none.PressureLevel);
        Assert.NotSame(none, MemoryPressureTriggers.None);
    }

    [Theory]
    [InlineData("some 150000 2000000", "some 150000 2000000")]
    [InlineData("full  500000   10000000 ", "full 500000 10000000")]
    [InlineData("some 1 500000", "some 1 500000")]
    public void A_valid_PSI_trigger_is_kept_in_its_canonical_form(string text, string expected)
    {
        var triggers = new MemoryPressureTriggers { PressureStallTrigger = text };

        Assert.Equal(expected, triggers.PressureStallTrigger);
    }

    [Theory]
    [InlineData("")]
    [InlineData("low 150000 1000000")]
    [InlineData("some 150000")]
    [InlineData("some 150000 1000000 extra")]
    [InlineData("some -1 1000000")]
    [InlineData("some 0 1000000")]
    [InlineData("some 150000 400000")]
    [InlineData("some 150000 10000001")]
    [InlineData("some 2000000 1000000")]
    [InlineData("some 1.5 1000000")]
    public void An_invalid_PSI_trigger_is_refused_by_name(string text)
    {
        var triggers = new MemoryPressureTriggers();

        var error = Assert.Throws<ArgumentException>(() => triggers.PressureStallTrigger = text);

        Assert.Equal(nameof(MemoryPressureTriggers.PressureStallTrigger), error.ParamName);
        Assert.Equal("some 150000 1000000", triggers.PressureStallTrigger);
    }

    [Fact]
    public void A_null_PSI_trigger_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new MemoryPressureTriggers { PressureStallTrigger = null! });

        Assert.Equal(nameof(MemoryPressureTriggers.PressureStallTrigger), error.ParamName);
    }

    [Fact]
    public void A_negative_gap_is_refused_by_name_and_zero_is_allowed()
    {
        var triggers = new MemoryPressureTriggers { MinimumGap = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => triggers.MinimumGap = TimeSpan.FromTicks(-1));

        Assert.Equal(nameof(MemoryPressureTriggers.MinimumGap), error.ParamName);
        Assert.Equal(TimeSpan.Zero, triggers.MinimumGap);
    }

    [Fact]
    public void An_undefined_pressure_level_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryPressureTriggers { MinimumPressureLevel = (CgroupPressureLevel)7 });

        Assert.Equal(nameof(MemoryPressureTriggers.MinimumPressureLevel), error.ParamName);
    }

    [Fact]
    public void Null_triggers_are_refused_by_name()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new MemoryPressureOptions { Triggers = null! });

        Assert.Equal(nameof(MemoryPressureOptions.Triggers), error.ParamName);
    }
}
