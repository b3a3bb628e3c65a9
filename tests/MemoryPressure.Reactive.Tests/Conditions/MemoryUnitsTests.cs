namespace MemoryPressure.Reactive.Tests.Conditions;

/// <summary>The one reading of byte units, shared by the condition text and the Hosting configuration.</summary>
public class MemoryUnitsTests
{
    [Theory]
    [InlineData("", 1L)]
    [InlineData("B", 1L)]
    [InlineData("b", 1L)]
    [InlineData("KB", 1024L)]
    [InlineData("kb", 1024L)]
    [InlineData("MB", 1048576L)]
    [InlineData("mB", 1048576L)]
    [InlineData("GB", 1073741824L)]
    [InlineData("KiB", 1024L)]
    [InlineData("kib", 1024L)]
    [InlineData("MiB", 1048576L)]
    [InlineData("MIB", 1048576L)]
    [InlineData("GiB", 1073741824L)]
    public void Units_are_read_case_insensitively_as_powers_of_1024(string text, long expected)
    {
        Assert.True(MemoryUnits.TryParseUnit(text, out var bytesPerUnit));
        Assert.Equal(expected, bytesPerUnit);
    }

    [Theory]
    [InlineData("K")]
    [InlineData("TB")]
    [InlineData("MBB")]
    [InlineData("Mi")]
    [InlineData("MiBB")]
    [InlineData("TiB")]
    [InlineData("MjB")]
    [InlineData(" MB")]
    [InlineData("%")]
    public void Anything_else_is_no_unit(string text)
    {
        Assert.False(MemoryUnits.TryParseUnit(text, out var bytesPerUnit));
        Assert.Equal(0, bytesPerUnit);
    }
}
