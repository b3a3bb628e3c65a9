using MemoryPressure.Reactive.Triggers.Linux;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>When armed usage thresholds still serve a new sample: pure, no kernel.</summary>
public class UsageThresholdToleranceTests
{
    private const long MiB = 1L << 20;
    private const long Limit = 128 * MiB;

    [Fact]
    public void Armed_thresholds_within_the_tolerance_still_serve()
    {
        var tolerance = UsageThresholdSource.Tolerance(Limit);

        Assert.Equal(512 * 1024, tolerance);
        Assert.True(UsageThresholdSource.Matches([96 * MiB, 120 * MiB], [(96 * MiB) + tolerance, (120 * MiB) - tolerance], tolerance));
        Assert.False(UsageThresholdSource.Matches([96 * MiB, 120 * MiB], [(96 * MiB) + tolerance + 1, 120 * MiB], tolerance));
        Assert.False(UsageThresholdSource.Matches([96 * MiB], [96 * MiB, 120 * MiB], tolerance));
    }

    [Theory]
    [InlineData(16L << 20, 256L << 10)]
    [InlineData(1L << 30, 4L << 20)]
    [InlineData(64L << 30, 16L << 20)]
    public void The_tolerance_is_a_256th_of_the_limit_between_256_KiB_and_16_MiB(long limit, long tolerance)
    {
        Assert.Equal(tolerance, UsageThresholdSource.Tolerance(limit));
    }
}
