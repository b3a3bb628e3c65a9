using System.Diagnostics;
using System.Globalization;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>Runs <c>MemoryPressure.Reactive.TestChild</c>, built beside the tests.</summary>
internal static class TestChild
{
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Reactive.TestChild.dll");

    /// <summary>Waits for the child to exit (bounded) and returns its standard output.</summary>
    public static string WaitForOutput(Process child, TimeSpan bound)
    {
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(bound))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"the child did not exit within {bound}");
        }

        Assert.True(child.ExitCode == 0, $"the child exited with {child.ExitCode}: {error.Result}");
        return output.Result;
    }

    /// <summary>Parses the "Name=value" lines of the <c>probe</c> command.</summary>
    public static Dictionary<string, string> ParseSample(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    public static long Long(this Dictionary<string, string> sample, string name) =>
        long.Parse(sample[name], CultureInfo.InvariantCulture);
}
