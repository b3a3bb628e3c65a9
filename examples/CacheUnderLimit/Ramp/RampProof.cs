using System.Globalization;
using System.Text;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Ramp;

/// <summary>
/// The parent of the ramp proof: a managed cache grown fast under a 256 MiB limit, guarded by a
/// one-level ladder of each kind in turn, many runs each, tallied in a Markdown table.
/// </summary>
public static class RampProof
{
    /// <summary>The file name of the Markdown table in the output directory.</summary>
    public const string TableFileName = "ramp-under-limit.md";

    /// <summary>The ladders compared: headroom under the process limit, then under the GC's own cap, with every signal and without the v1 ones.</summary>
    public static IReadOnlyList<(string Condition, RampSignals Signals)> Guards { get; } =
    [
        ("LocalRelative < 10%", RampSignals.All),
        ("HeapRelative < 20%", RampSignals.All),
        ("HeapRelative < 20%", RampSignals.Portable),
    ];

    /// <summary>Runs every guard <see cref="RampOptions.Runs"/> times, one child at a time, and writes the table.</summary>
    /// <param name="options">The runs, the rate, the limit and the output directory.</param>
    /// <param name="log">Where progress and the table are written.</param>
    /// <returns>The outcomes of each guard's runs, in the order of <see cref="Guards"/>.</returns>
    public static async Task<IReadOnlyList<ChildOutcome[]>> RunAsync(RampOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var seconds = options.TotalBytes / options.BytesPerSecond;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Growing a managed cache at {Mebibytes.Format((long)options.BytesPerSecond)}/s to {Mebibytes.Format(options.TotalBytes)} under a {Mebibytes.Format(options.LimitBytes)} limit, polled every {options.CheckInterval.TotalMilliseconds} ms, {options.Runs} runs per guard..."));
        var outcomes = new List<ChildOutcome[]>();
        string? limitKind = null;
        foreach (var (condition, signals) in Guards)
        {
            var runs = new ChildOutcome[options.Runs];
            for (var i = 0; i < runs.Length; i++)
            {
                var run = await ChildRunner.RunChildAsync(
                    [
                        "--ramp-child", condition, signals.ArgumentName(),
                        options.BytesPerSecond.ToString(CultureInfo.InvariantCulture),
                        options.TotalBytes.ToString(CultureInfo.InvariantCulture),
                        options.CheckInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                        nameof(RampGuard.Empty),
                    ],
                    options.LimitBytes,
                    options.UseGcHeapHardLimit,
                    TimeSpan.FromSeconds(seconds));
                runs[i] = run.Outcome;
                limitKind = run.LimitKind;
                log.WriteLine($"  {condition}, {signals.ArgumentName()} signals, run {i + 1}: {run.Detail}");
            }

            outcomes.Add(runs);
        }

        var table = ToMarkdown(outcomes, options, limitKind!);
        Directory.CreateDirectory(options.OutputDirectory);
        var path = Path.GetFullPath(Path.Combine(options.OutputDirectory, TableFileName));
        await File.WriteAllTextAsync(path, table);
        log.WriteLine();
        log.Write(table);
        log.WriteLine();
        log.WriteLine($"Written: {path}");
        return outcomes;
    }

    private static string ToMarkdown(List<ChildOutcome[]> outcomes, RampOptions options, string limitKind)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"A managed cache grown at {Mebibytes.Format((long)options.BytesPerSecond)}/s to {Mebibytes.Format(options.TotalBytes)} under a {Mebibytes.Format(options.LimitBytes)} {limitKind}, emptied on each entry into the one level, polled every {options.CheckInterval.TotalMilliseconds} ms:");
        table.AppendLine();
        table.AppendLine("| level 1 | signals | survived | OutOfMemoryException | killed by the kernel | other |");
        table.AppendLine("|---|---|---:|---:|---:|---:|");
        for (var i = 0; i < Guards.Count; i++)
        {
            var runs = outcomes[i];
            int Count(ChildOutcome outcome) => runs.Count(o => o == outcome);
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| `{Guards[i].Condition}` | {Guards[i].Signals.ArgumentName()} | {Count(ChildOutcome.Survived)} of {runs.Length} | {Count(ChildOutcome.OutOfMemoryException)} | {Count(ChildOutcome.KilledByKernel)} | {Count(ChildOutcome.Failed)} |");
        }

        return table.ToString();
    }
}
