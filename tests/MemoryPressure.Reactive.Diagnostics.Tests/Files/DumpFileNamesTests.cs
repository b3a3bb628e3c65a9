using MemoryPressure.Reactive.Diagnostics.Files;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Files;

public class DumpFileNamesTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 17, 48, 29, 123, TimeSpan.FromHours(2));

    [Theory]
    [InlineData("memory")]
    [InlineData("orders-api_v2.1")]
    [InlineData("A")]
    public void Allows_a_plain_prefix(string prefix) => Assert.Null(DumpFileNames.WhyInvalidPrefix(prefix));

    [Theory]
    [InlineData("../evil")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("a b")]
    [InlineData("a\0b")]
    [InlineData("dump*")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_a_prefix_that_could_leave_the_directory_hide_or_break_the_name(string? prefix) =>
        Assert.NotNull(DumpFileNames.WhyInvalidPrefix(prefix));

    [Fact]
    public void Rejects_a_prefix_longer_than_64_characters()
    {
        Assert.Null(DumpFileNames.WhyInvalidPrefix(new string('a', 64)));
        Assert.Contains("64", DumpFileNames.WhyInvalidPrefix(new string('a', 65)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_holds_the_prefix_the_UTC_time_the_process_id_and_random_digits()
    {
        var name = DumpFileNames.Create("memory", Time);

        Assert.Matches($@"^memory-20261126-154829-123-{Environment.ProcessId}-[0-9a-f]{{8}}\.dmp$", name);
    }

    [Fact]
    public void Two_names_made_at_the_same_moment_differ() =>
        Assert.NotEqual(DumpFileNames.Create("memory", Time), DumpFileNames.Create("memory", Time));

    [Fact]
    public void Names_of_one_prefix_sort_by_time()
    {
        var earlier = DumpFileNames.Create("memory", Time);
        var later = DumpFileNames.Create("memory", Time.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public void Recognises_its_own_names_of_the_same_prefix_only()
    {
        var name = DumpFileNames.Create("memory", Time);

        Assert.True(DumpFileNames.IsDumpOf("memory", name));
        Assert.False(DumpFileNames.IsDumpOf("mem", name));
        Assert.False(DumpFileNames.IsDumpOf("memory", "memory-notes.txt"));
        Assert.False(DumpFileNames.IsDumpOf("memory", name + ".bak"));
        Assert.False(DumpFileNames.IsDumpOf("memory", "memory-other-20261126-154829-123-1-0123abcd.dmp"));
    }
}
