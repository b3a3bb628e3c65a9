namespace MemoryPressure.Reactive.Hosting.Tests.Configuration;

/// <summary>The readers of byte counts and time spans in configuration: units as a newcomer writes them.</summary>
public class ConfigurationValuesTests
{
    [Theory]
    [InlineData("536870912", 536870912L)]
    [InlineData("100B", 100L)]
    [InlineData("256MB", 256L << 20)]
    [InlineData("256MiB", 256L << 20)]
    [InlineData("256 MiB", 256L << 20)]
    [InlineData(" 256 mib ", 256L << 20)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("64KiB", 64L << 10)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("0.5 KB", 512L)]
    [InlineData("8589934591GB", 8589934591L << 30)]
    public void A_byte_count_takes_a_unit_of_1024_n_with_or_without_a_space(string text, long bytes)
    {
        Assert.True(ConfigurationValues.TryParseBytes(text, out var read));
        Assert.Equal(bytes, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MiB")]
    [InlineData("256 MiBs")]
    [InlineData("256TB")]
    [InlineData("-1MB")]
    [InlineData("1.5B")]
    [InlineData("0.3KB")]
    [InlineData("1e6")]
    [InlineData("1,024")]
    [InlineData("8589934592GB")]
    [InlineData("half a gig")]
    public void A_byte_count_that_is_not_a_whole_number_of_bytes_in_a_known_unit_is_refused(string text) =>
        Assert.False(ConfigurationValues.TryParseBytes(text, out _));

    [Theory]
    [InlineData("250ms", 2_500_000L)]
    [InlineData("250 ms", 2_500_000L)]
    [InlineData("2s", 20_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData("1.5S", 15_000_000L)]
    [InlineData("5min", 3_000_000_000L)]
    [InlineData("1h", 36_000_000_000L)]
    [InlineData("0.0001ms", 1L)]
    [InlineData("-5s", -50_000_000L)]
    [InlineData("00:00:00.250", 2_500_000L)]
    [InlineData("-00:00:05", -50_000_000L)]
    [InlineData("1.00:00:00", 864_000_000_000L)]
    [InlineData("0", 0L)]
    public void A_time_span_takes_ms_s_min_or_h_or_TimeSpan_text(string text, long ticks)
    {
        Assert.True(ConfigurationValues.TryParseTimeSpan(text, out var read));
        Assert.Equal(TimeSpan.FromTicks(ticks), read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("ms")]
    [InlineData("5m")]
    [InlineData("5 minutes")]
    [InlineData("250us")]
    [InlineData("1e3ms")]
    [InlineData("1,5s")]
    [InlineData("99999999999999h")]
    public void A_time_span_in_no_known_unit_or_out_of_range_is_refused(string text) =>
        Assert.False(ConfigurationValues.TryParseTimeSpan(text, out _));
}
