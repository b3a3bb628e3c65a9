using System.Globalization;
using System.Text;
using CacheUnderLimit.Child;

namespace CacheUnderLimit.Proof;

/// <summary>The results as a Markdown table, with what was run above it and the chart below it.</summary>
internal static class ResultTable
{
    public static string ToMarkdown(IReadOnlyList<ModeRun> runs, ProofOptions options, string chartFileName)
    {
        var limit = runs[0];
        var text = new StringBuilder();
        var line = (string value) => text.Append(value).Append('\n');
        line(string.Create(CultureInfo.InvariantCulture, $"## The cache under a {Mebibytes.Format(limit.LimitBytes)} {limit.LimitKind}"));
        line("");
        line(string.Create(CultureInfo.InvariantCulture, $"Each mode ran the same workload in its own child process for {options.Duration.TotalSeconds:F0} s: {CacheWorkload.Description}"));
        line($"The threshold is `{ProofLadder.Create().GetLevel(1).Condition}`, level 1 of mode (c).");
        line("");
        line("| mode | outcome | peak resident (of the limit) | peak cgroup charge | entries kept | hit ratio | threshold to first trim |");
        line("|---|---|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            line(string.Create(CultureInfo.InvariantCulture, $"| {run.Mode.Title()} | {Outcome(run)} | {OfLimit(run.PeakResidentBytes, run)} | {OfLimit(run.PeakCgroupUsageBytes, run)} | {run.EntriesKept:N0} | {run.HitRatio * 100:F1}% | {FirstTrim(run.ThresholdToFirstTrim)} |"));
        }

        line("");
        line("Resident memory counts the pages of the runtime's files that the process shares with others; the cgroup charges " +
            "them to whoever read them first, so resident memory may pass a cgroup limit that the charge stays under. " +
            "Inside a memory cgroup the GC caps its heap at 75% of the limit by default.");
        line("");
        line($"![Resident memory of each mode over time]({chartFileName})");
        return text.ToString();
    }

    private static string Outcome(ModeRun run) =>
        run.Survived || run.Readings.Count == 0
            ? run.OutcomeDetail
            : string.Create(CultureInfo.InvariantCulture, $"{run.OutcomeDetail} at {run.Readings[^1].Seconds:F1} s");

    private static string OfLimit(long bytes, ModeRun run) =>
        bytes == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Mebibytes.Format(bytes)} ({bytes * 100 / run.LimitBytes}%)");

    private static string FirstTrim(TimeSpan? time) => time switch
    {
        null => "never trimmed",
        { TotalSeconds: < 0 } => "trimmed before",
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1} s"),
    };
}
