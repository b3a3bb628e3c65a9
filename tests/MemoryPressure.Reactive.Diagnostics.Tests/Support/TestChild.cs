using System.Diagnostics;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>Runs <c>MemoryPressure.Reactive.Diagnostics.TestChild</c>, built beside the tests, and reads its "Name=value" lines.</summary>
internal static class TestChild
{
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Assembly => Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Reactive.Diagnostics.TestChild.dll");

    /// <summary>Runs the child with extra environment variables, waits for it (bounded) and parses its output.</summary>
    public static Dictionary<string, string> Run(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunForOutput(environment, arguments).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    /// <summary>Runs the child with extra environment variables, waits for it (bounded) and returns all it printed.</summary>
    public static (string StandardOutput, string StandardError) RunForOutput(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(DumpTests.Bound))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"the child did not exit within {DumpTests.Bound}");
        }

        Assert.True(child.ExitCode == 0, $"the child exited with {child.ExitCode}: {error.Result}");
        return (output.Result, error.Result);
    }
}
