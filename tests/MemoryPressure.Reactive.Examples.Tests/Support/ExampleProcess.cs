using System.Diagnostics;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>Starts an example built beside the tests as a child process, its output redirected, as a pipe or CI runs it.</summary>
internal static class ExampleProcess
{
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts <paramref name="assembly"/> (a file name beside the tests) with <paramref name="arguments"/>.</summary>
    public static Process Start(string assembly, params string[] arguments) => Start(new Dictionary<string, string>(), assembly, arguments);

    /// <summary>Starts <paramref name="assembly"/> with <paramref name="arguments"/> and these variables added to the test's environment.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs <paramref name="assembly"/> to its end within <paramref name="bound"/>; fails the test if it does not end, or ends with another code than 0.</summary>
    /// <returns>What it printed on its standard output and its standard error.</returns>
    public static async Task<(string Output, string Errors)> RunToEndAsync(TimeSpan bound, string assembly, params string[] arguments)
    {
        using var example = Start(assembly, arguments);
        var output = example.StandardOutput.ReadToEndAsync();
        var errors = example.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await example.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            example.Kill(entireProcessTree: true);
            Assert.Fail($"{assembly} did not end within {bound}");
        }

        Assert.True(example.ExitCode == 0, $"{assembly} exited with {example.ExitCode}: {await errors}");
        return (await output, await errors);
    }
}
