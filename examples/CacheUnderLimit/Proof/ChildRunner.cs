using System.Diagnostics;
using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>Runs one mode in a child process under a limit of its own and collects what it reports.</summary>
internal static class ChildRunner
{
    /// <summary>How long a child may take beyond its run to start and end before it counts as hung.</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromSeconds(60);

    /// <summary>Gets the <c>dotnet</c> host that runs this program, for the children it starts.</summary>
    internal static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<ModeRun> RunAsync(CacheMode mode, ProofOptions options)
    {
        var run = await RunChildAsync(
            ["--mode", mode.ArgumentName(), "--seconds", options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            options.LimitBytes,
            options.UseGcHeapHardLimit,
            options.Duration);
        return new ModeRun(mode, run.LimitKind, options.LimitBytes, run.Events, run.Outcome, run.Detail);
    }

    /// <summary>Runs this program as a child, with <paramref name="arguments"/>, under a limit of its own, and says how it ended.</summary>
    /// <param name="arguments">The child's arguments.</param>
    /// <param name="limitBytes">The limit.</param>
    /// <param name="useGcHeapHardLimit">Whether the limit is the GC heap hard limit even where a cgroup could be made.</param>
    /// <param name="duration">How long the child should run; it counts as hung a minute after.</param>
    public static async Task<ChildRun> RunChildAsync(IReadOnlyList<string> arguments, long limitBytes, bool useGcHeapHardLimit, TimeSpan duration)
    {
        using var limit = ChildMemoryLimit.Create(limitBytes, useGcHeapHardLimit);
        using var child = limit.Start(DotnetHost, [typeof(ChildRunner).Assembly.Location, .. arguments]);
        var errors = child.StandardError.ReadToEndAsync();
        var events = ReadEventsAsync(child.StandardOutput);
        using var timeout = new CancellationTokenSource(duration + Allowance);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            return new ChildRun(limit.Kind, await events, ChildOutcome.Failed, $"did not end within {duration + Allowance}");
        }

        var reported = await events;
        var (outcome, detail) = Judge(child.ExitCode, await errors, limit.KernelOomKills(), reported.OfType<ChildFinished>().Any());
        return new ChildRun(limit.Kind, reported, outcome, detail);
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

    internal static (ChildOutcome Outcome, string Detail) Judge(int exitCode, string errors, int? kernelOomKills, bool finished)
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

/// <summary>How one child ran: under what limit, what it reported, how it ended.</summary>
/// <param name="LimitKind">The kind of limit, such as <c>cgroup v1 memory limit</c>.</param>
/// <param name="Events">What the child reported, up to its end.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">How it ended, in words.</param>
internal sealed record ChildRun(string LimitKind, IReadOnlyList<ChildEvent> Events, ChildOutcome Outcome, string Detail);
