using System.Globalization;
using System.Text;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Ramp;

/// <summary>
/// The four-mode ramp proof: one managed cache ramp per platform the library promises to serve, each
/// under a real limit beside a control that must die, with the detection latency of every run.
/// </summary>
/// <remarks>
/// Each child grows a cache of 64 KiB blocks to 1 GiB (four times a 256 MiB limit), guarded by
/// <c>LocalRelative &lt; 35%</c>: entering it empties the cache and forces a full collection. The
/// manager has the default options (apart from the cgroup v1 signals in the v2-like mode) and runs
/// 300 ms before the ramp starts. The latency is from the first of the child's own probe readings,
/// once a millisecond on a thread of its own, at which the condition held, to <c>Entered(1)</c>.
/// </remarks>
public static class RampModes
{
    /// <summary>The file name of the Markdown table in the output directory.</summary>
    public const string TableFileName = "ramp-modes.md";

    private const string Condition = "LocalRelative < 35%";
    private const double MebibytesPerSecond = 1 << 20;

    /// <summary>Gets the modes: what each stands for, the signals, the rate (0: as fast as the machine allocates), and whether the limit is the GC's alone.</summary>
    public static IReadOnlyList<RampMode> Modes { get; } =
    [
        new("256 MiB v1 memory cgroup", "cgroup v1", RampSignals.All, 800 * MebibytesPerSecond, GcHeapHardLimitOnly: false),
        new("256 MiB v1 memory cgroup", "cgroup v1", RampSignals.All, 0, GcHeapHardLimitOnly: false),
        new("same, UsageThresholds and PressureLevel off", "cgroup v2, Windows, macOS", RampSignals.Portable, 800 * MebibytesPerSecond, GcHeapHardLimitOnly: false),
        new("no cgroup limit, DOTNET_GCHeapHardLimit 192 MiB", "a GC limit set by hand, Windows, macOS", RampSignals.All, 0, GcHeapHardLimitOnly: true),
    ];

    /// <summary>Runs every mode (of <see cref="Modes"/>, or those given) <paramref name="runs"/> times and its control once, one child at a time, and writes the table.</summary>
    /// <returns>The survival and latency of each mode, in the order given.</returns>
    public static async Task<IReadOnlyList<RampModeResult>> RunAsync(int runs, string outputDirectory, TextWriter log, IReadOnlyList<RampMode>? modes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        var results = new List<RampModeResult>();
        foreach (var mode in modes ?? Modes)
        {
            var outcomes = new List<ChildOutcome>();
            var latencies = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var run = await RunChildAsync(mode, RampGuard.EmptyAndCollect);
                outcomes.Add(run.Outcome);
                latencies.AddRange(run.Events.OfType<ChildDetected>().Select(d => d.LatencyMilliseconds));
                log.WriteLine($"  {mode.Name}, {mode.Ramp}, run {i + 1}: {run.Detail}, {run.Events.OfType<ChildDetected>().Count()} entries");
            }

            var control = await RunChildAsync(mode, RampGuard.None);
            log.WriteLine($"  {mode.Name}, {mode.Ramp}, control: {control.Detail}");
            results.Add(new RampModeResult(mode, outcomes, control.Outcome, latencies));
        }

        await ProofTable.WriteAsync(ToMarkdown(results), outputDirectory, TableFileName, log);
        return results;
    }

    private static Task<ChildRun> RunChildAsync(RampMode mode, RampGuard guard) =>
        ChildRunner.RunChildAsync(
            [
                "--ramp-child", Condition, mode.Signals.ArgumentName(),
                mode.BytesPerSecond.ToString(CultureInfo.InvariantCulture),
                (1L << 30).ToString(CultureInfo.InvariantCulture),
                "1000", guard.ToString(),
            ],
            mode.GcHeapHardLimitOnly ? 192L << 20 : 256L << 20,
            mode.GcHeapHardLimitOnly,
            TimeSpan.FromSeconds(5));

    private static string ToMarkdown(List<RampModeResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"A managed cache grown to 1 GiB under a 256 MiB limit, `{Condition}` emptying it and forcing a collection on each entry, default options:");
        table.AppendLine();
        table.AppendLine("| mode | stands for | ramp | survived | control | entries | latency p50 | latency p99 |");
        table.AppendLine("|---|---|---|---:|---|---:|---:|---:|");
        foreach (var result in results)
        {
            var survived = result.Outcomes.Count(o => o == ChildOutcome.Survived);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {result.Mode.Name} | {result.Mode.StandsFor} | {result.Mode.Ramp} | {survived} of {result.Outcomes.Count} | {Describe(result.Control)} | {result.Latencies.Count} | {Percentile(result.Latencies, 0.50)} | {Percentile(result.Latencies, 0.99)} |");
        }

        return table.ToString();
    }

    private static string Describe(ChildOutcome outcome) => outcome switch
    {
        ChildOutcome.Survived => "survived (!)",
        ChildOutcome.OutOfMemoryException => "died: OutOfMemoryException",
        ChildOutcome.KilledByKernel => "died: OOM-killed",
        _ => "failed",
    };

    private static string Percentile(IReadOnlyList<double> values, double rank)
    {
        if (values.Count == 0)
        {
            return "-";
        }

        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(rank * sorted.Count) - 1)]:F1} ms");
    }
}

/// <summary>One mode of <see cref="RampModes"/>.</summary>
/// <param name="Name">The limit and options.</param>
/// <param name="StandsFor">The platforms it stands for.</param>
/// <param name="Signals">The push signals the manager may use.</param>
/// <param name="BytesPerSecond">The ramp's rate; 0 for as fast as the machine allocates.</param>
/// <param name="GcHeapHardLimitOnly">Whether the only limit is <c>DOTNET_GCHeapHardLimit</c> (192 MiB, 75% of 256 MiB).</param>
public sealed record RampMode(string Name, string StandsFor, RampSignals Signals, double BytesPerSecond, bool GcHeapHardLimitOnly)
{
    /// <summary>Gets the rate in words.</summary>
    public string Ramp => BytesPerSecond > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{BytesPerSecond / (1 << 20) / 1000:0.#} GB/s")
        : "as fast as the machine allocates";
}

/// <summary>What one mode of <see cref="RampModes"/> gave.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Outcomes">How each guarded run ended.</param>
/// <param name="Control">How the control ended.</param>
/// <param name="Latencies">Every entry's detection latency, in milliseconds.</param>
public sealed record RampModeResult(RampMode Mode, IReadOnlyList<ChildOutcome> Outcomes, ChildOutcome Control, IReadOnlyList<double> Latencies);
