using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>The rules between options: checked by <see cref="MemoryPressureOptions.Validate"/>, the one check the manager and the host both apply.</summary>
public class MemoryPressureOptionsTests
{
    [Fact]
    public void The_manager_refuses_a_floor_above_the_check_interval_with_the_exception_Validate_throws()
    {
        var options = new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(100), SamplingFloor = TimeSpan.FromMilliseconds(200), AutoStart = false };

        var rule = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryPressureManager(Pressure.Ladder, options));

        Assert.Equal(("SamplingFloor", (object)TimeSpan.FromMilliseconds(200)), (rule.ParamName, rule.ActualValue));
        Assert.StartsWith("The sampling floor must be at most the check interval (00:00:00.1000000).", rule.Message);
        Assert.Equal((rule.ParamName, rule.ActualValue, rule.Message), (refusal.ParamName, refusal.ActualValue, refusal.Message));
    }

    [Fact]
    public void A_horizon_above_the_check_interval_is_refused_naming_the_horizon()
    {
        var options = new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(100), SamplingHorizon = TimeSpan.FromSeconds(1), AutoStart = false };

        var rule = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(("SamplingHorizon", (object)TimeSpan.FromSeconds(1)), (rule.ParamName, rule.ActualValue));
        Assert.StartsWith("The sampling horizon must be at most the check interval (00:00:00.1000000).", rule.Message);
        Assert.Equal("SamplingHorizon", Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryPressureManager(Pressure.Ladder, options)).ParamName);
    }

    [Fact]
    public void The_defaults_and_a_floor_and_horizon_equal_to_a_short_check_interval_pass()
    {
        new MemoryPressureOptions().Validate();
        new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(1) }.Validate();
        new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(2), SamplingFloor = TimeSpan.FromMilliseconds(2), SamplingHorizon = TimeSpan.FromMilliseconds(2) }.Validate();
    }
}
