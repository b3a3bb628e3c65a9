using System.Globalization;
using System.Text;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Moves;

/// <summary>
/// The proofs of this round on cgroup v1: a native cache ramp (the native heap trimmed, the held level
/// acting again), a limit raised then more held than the old cap, and a limit lowered then a cache grown
/// under a heap condition. Each runs guarded several times beside a control that must die, each child in
/// a v1 memory cgroup of its own whose limit the parent writes while the child runs.
/// </summary>
public static class MovesProof
{
    /// <summary>The file name of the Markdown table in the output directory.</summary>
    public const string TableFileName = "moves.md";

    private const long MiB = 1 << 20;

    /// <summary>Gets the scenarios.</summary>
    public static IReadOnlyList<MovesScenario> Scenarios { get; } =
    [
        new("native ramp: 1 MiB blocks to 768 MiB at 200 MiB/s under 256 MiB, `LocalRelative < 35%` frees them all", MovesKind.Native, 256 * MiB, 0, 200 * MiB,
            "trim + repeat (defaults)", "freed on entry only (no trim, no repeat)"),
        new("limit raised 256 -> 1024 MiB, then 400 MiB held live", MovesKind.Raise, 256 * MiB, 1024 * MiB, 0,
            "FollowLimitChanges on (default)", "FollowLimitChanges off"),
        new("limit lowered 1024 -> 512 MiB, then a cache to 1.5 GiB at 400 MiB/s, `HeapRelative < 20%` empties it", MovesKind.Lower, 1024 * MiB, 512 * MiB, 400 * MiB,
            "FollowLimitChanges on (default)", "FollowLimitChanges off"),
    ];

    /// <summary>Runs each scenario <paramref name="runs"/> times guarded and once as the control, and writes the table.</summary>
    public static async Task<int> RunAsync(int runs, string outputDirectory, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        if (CgroupV1MemoryLimit.WhyCannotCreate() is { } reason)
        {
            log.WriteLine($"The moves proof needs a cgroup v1 memory cgroup: {reason}.");
            return 1;
        }

        var table = new StringBuilder();
        table.AppendLine("| scenario | guarded | survived | control | control ended | write to `LimitChanges` | reactions |");
        table.AppendLine("|---|---|---:|---|---|---:|---:|");
        foreach (var scenario in Scenarios)
        {
            var (guarded, control) = await MovesRun.RunGuardedThenControlAsync(runs, scenario.Kind.ToString(), isGuarded => RunChildAsync(scenario, isGuarded), log);
            var latency = MovesRun.LimitChangeRange(guarded);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {scenario.Name} | {scenario.Guarded} | {guarded.Count(r => r.Outcome == ChildOutcome.Survived)} of {runs} | {scenario.Control} | {control.Detail} | {latency} | {guarded.Sum(r => r.Entered)} entries, {guarded.Sum(r => r.Repeated)} repeats |");
        }

        await ProofTable.WriteAsync(table.ToString(), outputDirectory, TableFileName, log);
        return 0;
    }

    private static async Task<MovesRun> RunChildAsync(MovesScenario scenario, bool guarded)
    {
        using var limit = CgroupV1MemoryLimit.Create(scenario.StartBytes);
        using var child = limit.Start(ChildRunner.DotnetHost, [
            typeof(MovesProof).Assembly.Location, "--moves-child", scenario.Kind.ToString(), guarded ? "guarded" : "control",
            scenario.BytesPerSecond.ToString(CultureInfo.InvariantCulture)]);
        var errors = child.StandardError.ReadToEndAsync();
        var run = new MovesRun();
        long? writtenAt = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "ready" && scenario.MovedBytes > 0)
                {
                    writtenAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    limit.Change(scenario.MovedBytes);
                }
                else if (run.Read(line) is { } changedAt && writtenAt is { } written)
                {
                    run.LimitChangeMilliseconds ??= changedAt - written;
                }
            }

            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            (run.Outcome, run.Detail) = (ChildOutcome.Failed, "did not end within 2 minutes");
            return run;
        }

        (run.Outcome, run.Detail) = ChildRunner.Judge(child.ExitCode, await errors, limit.KernelOomKills(), run.Finished);
        return run;
    }
}

/// <summary>One scenario of <see cref="MovesProof"/>.</summary>
/// <param name="Name">What it does, in words.</param>
/// <param name="Kind">What the child does.</param>
/// <param name="StartBytes">The limit at the start.</param>
/// <param name="MovedBytes">The limit the parent writes once the child is ready; 0 for none.</param>
/// <param name="BytesPerSecond">How fast the child's cache grows.</param>
/// <param name="Guarded">What the guarded runs have, in words.</param>
/// <param name="Control">What the control has, in words.</param>
public sealed record MovesScenario(string Name, MovesKind Kind, long StartBytes, long MovedBytes, double BytesPerSecond, string Guarded, string Control);
