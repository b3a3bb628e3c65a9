using System.Globalization;

namespace MemoryPressure.Demo;

/// <summary>Plain lines, for output that is not a terminal: each transition as it happens, and a status line a second.</summary>
internal sealed class PlainView(TextWriter output) : IDemoView
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    public async Task ShowAsync(DemoJournal journal, DemoCache cache, CancellationToken stop)
    {
        output.WriteLine($"A cache fills up; a ladder over a budget of {DemoJournal.Mib(journal.BudgetBytes)} trims it:");
        for (var level = 1; level <= journal.Ladder.Count; level++)
        {
            output.WriteLine($"  level {level}: {journal.Ladder.GetLevel(level)}");
        }

        var printed = 0;
        var nextStatus = StatusInterval;
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            printed = PrintLines(journal, printed);
            if (journal.Elapsed >= nextStatus)
            {
                var (sample, level) = journal.Current();
                output.WriteLine(Invariant(
                    $"[{journal.Elapsed.TotalSeconds,5:F1} s] level {level}, resident {DemoJournal.Mib(sample.ProcessResidentBytes)} of {DemoJournal.Mib(journal.BudgetBytes)}, cache {cache.Count:N0} entries, {cache.Trimmed:N0} trimmed"));
                nextStatus += StatusInterval;
            }
        }
        while (await ticks.TickUnlessStopped(stop));

        PrintLines(journal, printed);
    }

    public void ShowSummary(DemoSummary summary)
    {
        output.WriteLine(Invariant($"Summary after {summary.Duration.TotalSeconds:F1} s"));
        foreach (var level in summary.Levels)
        {
            output.WriteLine($"  level {level.Level} \"{level.Name}\" ({level.Condition}): entered {level.Entered}, left {level.Left}");
        }

        output.WriteLine(Invariant(
            $"  peak resident: {DemoJournal.Mib(summary.PeakResidentBytes)}, {summary.PeakResidentBytes * 100 / summary.BudgetBytes}% of the {DemoJournal.Mib(summary.BudgetBytes)} budget"));
        output.WriteLine(Invariant($"  entries trimmed: {summary.EntriesTrimmed:N0}"));
    }

    /// <summary>Prints the journal's lines from <paramref name="printed"/> on and returns how many are printed now.</summary>
    private int PrintLines(DemoJournal journal, int printed)
    {
        foreach (var line in journal.Lines(printed))
        {
            output.WriteLine(Invariant($"[{line.At.TotalSeconds,5:F1} s] {line.Text}"));
            printed++;
        }

        return printed;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
