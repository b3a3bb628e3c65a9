using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The README's Quick start, which is <c>examples/QuickStart/Program.cs</c>, run as a newcomer runs it.</summary>
[Collection(SerialTests.Name)]
public class QuickStartTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_quick_start_samples_for_three_seconds_and_says_what_it_saw()
    {
        var (printed, errors) = await ExampleProcess.RunToEndAsync(Bound, "QuickStart.dll");

        Assert.Empty(errors);
        // One line per sample: at once, then every 250 ms for three seconds (more when a trigger fires).
        Assert.InRange(Regex.Count(printed, @"(?m)^\d\d:\d\d:\d\d\.\d{3} level \d: [\d,]+ MiB free of [\d,]+ MiB \(\w+\)$"), 8, 1000);
        Assert.Contains("level after 3 s: ", printed, StringComparison.Ordinal);
        Assert.Contains("  Gen2Collection: ", printed, StringComparison.Ordinal);
    }
}
