using MemoryPressure.Reactive.Pacing;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Pacing;

public class SamplingPaceTests
{
    private static readonly SamplingPace Pace = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500));

    [Theory]
    [InlineData(double.PositiveInfinity, 1000)] // nothing approaches
    [InlineData(double.NaN, 1000)]
    [InlineData(60, 1000)]                      // far: every interval
    [InlineData(1.2, 700)]                      // beyond the horizon: when the crossing enters it
    [InlineData(0.5, 250)]                      // within it: half the time left
    [InlineData(0.1, 50)]
    [InlineData(0.004, 5)]                      // never under the floor
    [InlineData(0, 5)]
    public void The_next_poll_follows_the_predicted_time_to_the_next_level(double seconds, double expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Pace.Next(seconds));

    [Fact]
    public void The_defaults_are_5_ms_and_the_check_interval_or_the_interval_when_it_is_shorter()
    {
        var pace = new SamplingPace(TimeSpan.FromSeconds(2), null, null);
        Assert.Equal(TimeSpan.FromMilliseconds(5), pace.Next(0));
        Assert.Equal(TimeSpan.FromSeconds(1), pace.Next(2)); // t <= horizon (2 s): t / 2

        var fast = new SamplingPace(TimeSpan.FromMilliseconds(2), null, null);
        Assert.Equal(TimeSpan.FromMilliseconds(2), fast.Next(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_floor_or_horizon_that_is_zero_or_negative_is_refused_when_set(long ticks)
    {
        var options = new MemoryPressureOptions();
        Assert.Equal("SamplingFloor", Assert.Throws<ArgumentOutOfRangeException>(() => options.SamplingFloor = TimeSpan.FromTicks(ticks)).ParamName);
        Assert.Equal("SamplingHorizon", Assert.Throws<ArgumentOutOfRangeException>(() => options.SamplingHorizon = TimeSpan.FromTicks(ticks)).ParamName);
    }
}
