using System.Diagnostics;
using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>Runs one mode in a child process under a limit of its own and collects what it reports.</summary>
internal static class ChildRunner
{
    /// <summary>How long a child may take beyond its run to start and end before it counts as hung.</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(60);

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<ModeRun> RunAsync(CacheMode mode, ProofOptions options)
    {
        using var limit = ChildMemoryLimit.Create(options.LimitBytes, options.UseGcHeapHardLimit);
        using var child = limit.Start(DotnetHost,
        [
            typeof(ChildRunner).Assembly.Location,
            "--mode", mode.ArgumentName(),
            "--seconds", options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        var errors = child.StandardError.ReadToEndAsync();
        var events = ReadEventsAsync(child.StandardOutput);
        using var timeout = new CancellationTokenSource(options.Duration + Allowance);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return new ModeRun(mode, limit.Kind, limit.Bytes, await events, ChildOutcome.Failed, $"did not end within {options.Duration + Allowance}");
        }

        var reported = await events;
        var (outcome, detail) = Judge(child.ExitCode, await errors, limit.KernelOomKills(), reported.OfType<ChildFinished>().Any());
        return new ModeRun(mode, limit.Kind, limit.Bytes, reported, outcome, detail);
    }

    private static async Task<IReadOnlyList<ChildEvent>> ReadEventsAsync(StreamReader output)
    {
        var events = new List<ChildEvent>();
        while (await output.ReadLineAsync() is { } line)
        {
            if (ChildEventJson.TryDeserialize(line) is { } value)
            {
                events.Add(value);
            }
        }

        return events;
    }

    private static (ChildOutcome Outcome, string Detail) Judge(int exitCode, string errors, int? kernelOomKills, bool finished)
    {
        // .NET reports a child ended by a signal as 128 + the signal's number: SIGKILL is 137.
        const int KilledBySigkill = 128 + 9;
        if (exitCode == 0 && finished)
        {
            return (ChildOutcome.Survived, "survived");
        }

        if (kernelOomKills > 0 || exitCode == KilledBySigkill)
        {
            return (ChildOutcome.KilledByKernel, $"OOM-killed by the kernel (SIGKILL, oom_kill {kernelOomKills?.ToString(CultureInfo.InvariantCulture) ?? "?"})");
        }

        if (errors.Contains("OutOfMemoryException", StringComparison.Ordinal) || errors.Contains("Out of memory", StringComparison.Ordinal))
        {
            return (ChildOutcome.OutOfMemoryException, "killed: OutOfMemoryException from the GC");
        }

        var firstError = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no error output";
        return (ChildOutcome.Failed, $"exited with code {exitCode}: {firstError}");
    }
}
