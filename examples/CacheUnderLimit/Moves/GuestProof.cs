using System.Globalization;
using System.Text;
using CacheUnderLimit.Proof;
using MemoryPressure.Reactive.UserModeLinux;

namespace CacheUnderLimit.Moves;

/// <summary>
/// The proofs on a real cgroup v2 memory controller, each child in a user-mode Linux guest (Linux 6.1,
/// one CPU, no PSI, anonymous memory at about 17 MB/s), in <c>pod/app</c> under a pod whose
/// <c>memory.max</c> binds: a managed ramp, the same beside a page cache filling the pod, a native ramp,
/// a limit raised and a limit lowered while the child runs, and a ramp under a pod's <c>memory.high</c>.
/// Each runs guarded several times beside a control that must die (or, under <c>memory.high</c>, that
/// the kernel throttles: its <c>high</c> events).
/// </summary>
public static class GuestProof
{
    /// <summary>The file name of the Markdown table in the output directory.</summary>
    public const string TableFileName = "real-v2.md";

    private const long MiB = 1 << 20;
    private const string Pod = "/sys/fs/cgroup/pod";

    private static readonly string Assembly = typeof(GuestProof).Assembly.Location;

    /// <summary>Gets the scenarios.</summary>
    public static IReadOnlyList<GuestMode> Modes { get; } =
    [
        new("managed ramp: 64 KiB blocks to 384 MiB under a 128 MiB pod, `LocalRelative < 35%` empties and collects", 128 * MiB, 0,
            guarded => Ramp(guarded ? "EmptyAndCollect" : "None"), [], "no manager"),
        new("the same beside 256 MiB of page cache written in the pod", 128 * MiB, 0,
            guarded => Ramp(guarded ? "EmptyAndCollect" : "None"),
            // A shell of its own in pod/fill ($$ in a subshell is the parent's); hostfs drops a file's cache on close, so it stays open.
            [$"sh -c 'echo $$ > {Pod}/fill/cgroup.procs && dd if=/dev/zero of=\"$1\" bs=1M count=256 2>/dev/null && exec 3< \"$1\" && cat <&3 > /dev/null && echo filled && sleep 600' fill \"$UML_RUN_DIRECTORY/fill\""], "no manager"),
        new("native ramp: 1 MiB blocks to 384 MiB under a 128 MiB pod, `LocalRelative < 35%` frees them", 128 * MiB, 0,
            guarded => Moves(MovesKind.Native, guarded, 200 * MiB), [], "freed on entry only (no trim, no repeat)"),
        new("pod raised 256 -> 1024 MiB, then 400 MiB held live", 256 * MiB, 1024 * MiB,
            guarded => Moves(MovesKind.Raise, guarded, 0), [], "FollowLimitChanges off"),
        new("pod lowered 512 -> 192 MiB, then a cache to 576 MiB, `HeapRelative < 20%` empties and collects", 512 * MiB, 192 * MiB,
            guarded => Moves(MovesKind.Lower, guarded, 200 * MiB), [], "FollowLimitChanges off"),
        new("pod `memory.high` 192 MiB under `memory.max` 256 MiB: managed ramp to 384 MiB, `LocalRelative < 30%` empties and collects", 256 * MiB, 0,
            guarded => Ramp(guarded ? "EmptyAndCollect" : "None", "LocalRelative < 30%"), [], "no manager") { HighBytes = 192 * MiB },
    ];

    /// <summary>Runs each mode <paramref name="runs"/> times guarded and once as the control, and writes the table.</summary>
    /// <param name="runs">The guarded runs of each mode.</param>
    /// <param name="only">Runs only the modes whose name contains one of its parts, separated by <c>|</c>; <see langword="null"/> for all.</param>
    /// <param name="outputDirectory">Where the table goes.</param>
    /// <param name="log">Where each run is told.</param>
    public static async Task<int> RunAsync(int runs, string? only, string outputDirectory, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        if (UserModeLinuxGuest.WhyUnavailable() is { } reason)
        {
            log.WriteLine($"The real cgroup v2 proof needs user-mode Linux: {reason}.");
            return 1;
        }

        var table = new StringBuilder();
        table.AppendLine("| on real cgroup v2 | survived | control | control ended | write to `LimitChanges` | entries, repeats | pod `high`, `max` events: guarded (median), control |");
        table.AppendLine("|---|---:|---|---|---:|---:|---:|");
        foreach (var mode in Modes.Where(m => only is null || only.Split('|').Any(o => m.Name.Contains(o, StringComparison.Ordinal))))
        {
            var (guarded, control) = await MovesRun.RunGuardedThenControlAsync(runs, mode.Name, isGuarded => RunAsync(mode, isGuarded), log);
            var latency = MovesRun.LimitChangeRange(guarded);
            var median = guarded.OrderBy(r => r.HighEvents + r.MaxEvents).ElementAt(runs / 2);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {mode.Name} | {guarded.Count(r => r.Outcome == ChildOutcome.Survived)} of {runs} | {mode.Control} | {control.Detail} | {latency} | {guarded.Sum(r => r.Entered)}, {guarded.Sum(r => r.Repeated)} | {median.HighEvents}, {median.MaxEvents}; {control.HighEvents}, {control.MaxEvents} |");
        }

        await ProofTable.WriteAsync(table.ToString(), outputDirectory, TableFileName, log);
        return 0;
    }

    private static string[] Ramp(string guard, string condition = "LocalRelative < 35%") =>
        [Assembly, "--ramp-child", condition, "all", "0", (384 * MiB).ToString(CultureInfo.InvariantCulture), "1000", guard];

    private static string[] Moves(MovesKind kind, bool guarded, double bytesPerSecond) =>
        [Assembly, "--moves-child", kind.ToString(), guarded ? "guarded" : "control", bytesPerSecond.ToString(CultureInfo.InvariantCulture)];

    private static async Task<MovesRun> RunAsync(GuestMode mode, bool guarded)
    {
        List<string> steps = [.. mode.BackgroundSteps];
        if (mode.MovedBytes > 0)
        {
            steps.Add($"until grep -q ready \"$UML_PROGRAM_OUTPUT\"; do sleep 0.02; done; echo \"written $(date +%s%3N)\"; echo {mode.MovedBytes} > {Pod}/memory.max");
        }

        var result = await UserModeLinuxGuest.RunAsync(new GuestScenario
        {
            Cgroups = [new GuestCgroup("pod") { MemoryMax = mode.StartBytes, MemoryHigh = mode.HighBytes > 0 ? mode.HighBytes : null }, new GuestCgroup("pod/app"), new GuestCgroup("pod/fill")],
            ProgramCgroup = "pod/app",
            Program = ChildRunner.DotnetHost == "dotnet" ? "/usr/bin/dotnet" : ChildRunner.DotnetHost,
            Arguments = mode.Arguments(guarded),
            BackgroundSteps = steps,
            Timeout = TimeSpan.FromMinutes(3),
        });
        var run = new MovesRun();
        var written = result.BackgroundOutput.Split('\n').FirstOrDefault(l => l.StartsWith("written ", StringComparison.Ordinal)) is { } line
            ? long.Parse(line["written ".Length..], CultureInfo.InvariantCulture)
            : (long?)null;
        foreach (var output in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (run.Read(output) is { } changedAt && written is { } at)
            {
                run.LimitChangeMilliseconds ??= changedAt - at;
            }
        }

        var events = result.Counts("pod/memory.events");
        run.MaxEvents = events.GetValueOrDefault("max");
        run.HighEvents = events.GetValueOrDefault("high");
        (run.Outcome, run.Detail) = result.TimedOut
            ? (ChildOutcome.Failed, "did not end within 3 minutes")
            : ChildRunner.Judge(result.ExitCode, result.StandardError, (int)events.GetValueOrDefault("oom_kill"), run.Finished);
        return run;
    }
}

/// <summary>One mode of <see cref="GuestProof"/>.</summary>
/// <param name="Name">What it does, in words.</param>
/// <param name="StartBytes">The pod's <c>memory.max</c> at the start.</param>
/// <param name="MovedBytes">The pod's <c>memory.max</c> written once the child says it is ready; 0 for none.</param>
/// <param name="Arguments">The child's arguments to <c>dotnet</c>, guarded or as the control.</param>
/// <param name="BackgroundSteps">Guest shell steps beside the child.</param>
/// <param name="Control">What the control has, in words.</param>
public sealed record GuestMode(string Name, long StartBytes, long MovedBytes, Func<bool, string[]> Arguments, IReadOnlyList<string> BackgroundSteps, string Control)
{
    /// <summary>Gets the pod's <c>memory.high</c>; 0 for none.</summary>
    public long HighBytes { get; init; }
}
