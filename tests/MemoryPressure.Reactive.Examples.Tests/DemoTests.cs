using System.Globalization;
using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The demo, run as a newcomer's pipe or CI would run it: output redirected, so in plain mode.</summary>
[Collection(SerialTests.Name)]
public class DemoTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_demo_runs_to_completion_in_plain_mode_and_enters_and_leaves_a_level()
    {
        var (summary, _) = await ExampleProcess.RunToEndAsync(Bound, "MemoryPressure.Demo.dll", "10");

        Assert.Contains("Summary after", summary, StringComparison.Ordinal);
        var levels = Regex.Matches(summary, @"^  level (\d) .*: entered (\d+), left (\d+)$", RegexOptions.Multiline);
        Assert.Equal(3, levels.Count);
        Assert.True(
            levels.Any(level => Count(level, 2) > 0 && Count(level, 3) > 0),
            $"no level was both entered and left:\n{summary}");
    }

    private static int Count(Match level, int group) => int.Parse(level.Groups[group].Value, CultureInfo.InvariantCulture);
}
