using System.Diagnostics;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>Starts an example as a child process, its output redirected, as a pipe or CI runs it: built beside the tests, or published native.</summary>
internal static class ExampleProcess
{
    /// <summary>Gets the <c>dotnet</c> the tests run on.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts <paramref name="assembly"/> (a file name beside the tests) with <paramref name="arguments"/>.</summary>
    public static Process Start(string assembly, params string[] arguments) => Start(new Dictionary<string, string>(), assembly, arguments);

    /// <summary>Starts <paramref name="assembly"/> with <paramref name="arguments"/> and these variables added to the test's environment.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, string assembly, params string[] arguments) =>
        StartFile(environment, DotnetHost, [Path.Combine(AppContext.BaseDirectory, assembly), .. arguments]);

    /// <summary>Starts a native <paramref name="executable"/> (a full path) with <paramref name="arguments"/>.</summary>
    public static Process StartNative(string executable, params string[] arguments) => StartFile(new Dictionary<string, string>(), executable, arguments);

    /// <summary>Runs <paramref name="assembly"/> to its end within <paramref name="bound"/>; fails the test if it does not end, or ends with another code than 0.</summary>
    /// <returns>What it printed on its standard output and its standard error.</returns>
    public static Task<(string Output, string Errors)> RunToEndAsync(TimeSpan bound, string assembly, params string[] arguments) =>
        RunToEndAsync(bound, Start(assembly, arguments), assembly);

    /// <summary>Runs the started <paramref name="example"/> to its end within <paramref name="bound"/>; fails the test if it does not end, or ends with another code than 0.</summary>
    /// <param name="bound">How long it may run.</param>
    /// <param name="example">The example, just started (by <see cref="Start"/> or <see cref="StartNative"/>); disposed here.</param>
    /// <param name="name">What to call it in a failure.</param>
    /// <returns>What it printed on its standard output and its standard error.</returns>
    public static async Task<(string Output, string Errors)> RunToEndAsync(TimeSpan bound, Process example, string name)
    {
        var (exitCode, output, errors) = await WaitForEndAsync(bound, example, name);
        Assert.True(exitCode == 0, $"{name} exited with {exitCode}: {errors}");
        return (output, errors);
    }

    /// <summary>
    /// Waits for the started <paramref name="process"/> to end within <paramref name="bound"/>, reading what it prints;
    /// fails the test if it does not end, after ending it and its children.
    /// </summary>
    /// <param name="bound">How long it may run.</param>
    /// <param name="process">The process, just started with its output and error redirected; disposed here.</param>
    /// <param name="name">What to call it in a failure.</param>
    /// <returns>The code it ended with, and what it printed on its standard output and its standard error.</returns>
    public static async Task<(int ExitCode, string Output, string Errors)> WaitForEndAsync(TimeSpan bound, Process process, string name)
    {
        using var _ = process;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"{name} did not end within {bound}:\n{await output}{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }

    private static Process StartFile(IReadOnlyDictionary<string, string> environment, string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
