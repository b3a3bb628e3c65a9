using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
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
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Demo.dll"));
        start.ArgumentList.Add("10");

        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var errors = demo.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await demo.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            demo.Kill(entireProcessTree: true);
            Assert.Fail($"the demo did not end within {Bound}");
        }

        var summary = await output;
        Assert.True(demo.ExitCode == 0, $"the demo exited with {demo.ExitCode}: {await errors}");
        Assert.Contains("Summary after", summary, StringComparison.Ordinal);
        var levels = Regex.Matches(summary, @"^  level (\d) .*: entered (\d+), left (\d+)$", RegexOptions.Multiline);
        Assert.Equal(3, levels.Count);
        Assert.True(
            levels.Any(level => Count(level, 2) > 0 && Count(level, 3) > 0),
            $"no level was both entered and left:\n{summary}");
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static int Count(Match level, int group) => int.Parse(level.Groups[group].Value, CultureInfo.InvariantCulture);
}
