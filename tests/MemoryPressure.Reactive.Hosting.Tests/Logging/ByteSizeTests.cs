namespace MemoryPressure.Reactive.Hosting.Tests.Logging;

/// <summary>Byte counts as log lines show them.</summary>
public class ByteSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(64_907_059L, "61.9 MiB")]
    [InlineData(104_857_600L, "100 MiB")]
    [InlineData(1_048_535L, "1 MiB")]
    [InlineData(1_610_612_736L, "1.5 GiB")]
    [InlineData(-12_582_912L, "-12 MiB")]
    [InlineData(long.MaxValue, "8 EiB")]
    [InlineData(long.MinValue, "-8 EiB")]
    public void A_count_is_shown_with_one_decimal_at_most_in_the_unit_that_keeps_it_below_1024(long bytes, string text) =>
        Assert.Equal(text, new ByteSize(bytes).ToString());
}
