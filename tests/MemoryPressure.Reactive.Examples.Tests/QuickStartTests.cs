using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The README's Quick start, which is <c>examples/QuickStart/Program.cs</c>, run as a newcomer runs it.</summary>
[Collection(SerialTests.Name)]
public partial class QuickStartTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_quick_start_samples_for_three_seconds_and_says_what_it_saw()
    {
        var (printed, errors) = await ExampleProcess.RunToEndAsync(Bound, "QuickStart.dll");

        AssertSaysWhatItSaw(printed, errors);
    }

    /// <summary>Checks what the quick start printed, however it was built (the native AOT build too).</summary>
    internal static void AssertSaysWhatItSaw(string printed, string errors)
    {
        Assert.Empty(errors);
        // ObjectSize's figure for the README's two-entry dictionary (ReadmeExampleTests has it too): the sizes the GC
        // allocated, which the Diagnostics tests check against heap dumps read with ClrMD.
        var weighs = CacheWeighs().Match(printed);
        Assert.True(weighs.Success, $"no \"the cache weighs N bytes\" line in:\n{printed}");
        if (Environment.Is64BitProcess)
        {
            Assert.Equal("10480", Regex.Replace(weighs.Groups[1].Value, @"\D", string.Empty));
        }

        // One line per sample: at once, then every 250 ms for three seconds (more when a trigger fires).
        Assert.InRange(Regex.Count(printed, @"(?m)^\d\d:\d\d:\d\d\.\d{3} level \d: [\d,]+ MiB free of [\d,]+ MiB \(\w+\)$"), 8, 1000);
        Assert.Contains("level after 3 s: ", printed, StringComparison.Ordinal);
        Assert.Contains("  Gen2Collection: ", printed, StringComparison.Ordinal);
    }

    // The figure as the current culture writes it with N0: digits and group separators.
    [GeneratedRegex(@"(?m)^the cache weighs (\d[^ ]*) bytes$")]
    private static partial Regex CacheWeighs();
}
