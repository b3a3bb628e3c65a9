using MemoryPressure.Reactive;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MemoryPressure.Demo;

/// <summary>A live terminal view: memory against the budget and the limit as bars, the level, the ladder and the latest transitions.</summary>
internal sealed class LiveView(TimeSpan duration) : IDemoView
{
    private const int BarWidth = 40;
    private const int LogLines = 10;
    private static readonly Color[] LevelColors = [Color.Green, Color.Yellow, Color.Orange1, Color.Red];

    public async Task ShowAsync(DemoJournal journal, DemoCache cache, CancellationToken stop)
    {
        await AnsiConsole.Live(Render(journal, cache)).StartAsync(async context =>
        {
            using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await ticks.TickUnlessStopped(stop))
            {
                context.UpdateTarget(Render(journal, cache));
            }

            context.UpdateTarget(Render(journal, cache));
        });
    }

    public void ShowSummary(DemoSummary summary)
    {
        var table = new Table().Title($"Summary after {summary.Duration.TotalSeconds:F1} s")
            .AddColumns("level", "name", "condition", "entered", "left");
        foreach (var level in summary.Levels)
        {
            table.AddRow(level.Level.ToString(), Markup.Escape(level.Name), Markup.Escape(level.Condition), level.Entered.ToString(), level.Left.ToString());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            $"peak resident [bold]{DemoJournal.Mib(summary.PeakResidentBytes)}[/], {summary.PeakResidentBytes * 100 / summary.BudgetBytes}% of the {DemoJournal.Mib(summary.BudgetBytes)} budget; [bold]{summary.EntriesTrimmed:N0}[/] entries trimmed");
    }

    private Rows Render(DemoJournal journal, DemoCache cache)
    {
        var (sample, level, summary, lines) = journal.Snapshot(cache);
        var (limitBytes, limitSource) = journal.Limit;
        var color = LevelColors[Math.Min(level, LevelColors.Length - 1)];

        var memory = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap()).AddColumn();
        memory.AddRow(
            new Markup("[bold]resident / budget[/]"),
            Bar(sample.ProcessResidentBytes, journal.BudgetBytes, color),
            new Markup($"{DemoJournal.Mib(sample.ProcessResidentBytes)} of {DemoJournal.Mib(journal.BudgetBytes)}"));
        memory.AddRow(
            new Markup("[bold]resident / limit[/]"),
            Bar(sample.ProcessResidentBytes, limitBytes, Color.Grey),
            new Markup($"{DemoJournal.Mib(sample.ProcessResidentBytes)} of {DemoJournal.Mib(limitBytes)} ({DemoJournal.Describe(limitSource)})"));
        var binding = sample.BindingLimit;
        memory.AddRow(
            new Markup("[bold]tightest limit[/]"),
            Bar(binding.LimitBytes - binding.HeadroomBytes, binding.LimitBytes, Color.Grey),
            new Markup(Markup.Escape(DemoJournal.Describe(binding))));
        memory.AddRow(
            new Markup("[bold]cache[/]"),
            new Markup($"{cache.Count:N0} entries, {DemoJournal.Mib(cache.Bytes)}"),
            new Markup($"{cache.Trimmed:N0} trimmed so far"));

        var ladder = new Table().Border(TableBorder.Rounded).AddColumns("level", "name", "condition", "entered", "left");
        foreach (var count in summary.Levels)
        {
            var style = count.Level <= level ? $"bold {LevelColors[count.Level].ToMarkup()}" : "dim";
            ladder.AddRow(
                new Text(count.Level.ToString()),
                new Markup($"[{style}]{Markup.Escape(count.Name)}[/]"),
                new Markup($"[{style}]{Markup.Escape(count.Condition)}[/]"),
                new Text(count.Entered.ToString()),
                new Text(count.Left.ToString()));
        }

        var log = new Rows(lines.Skip(Math.Max(0, lines.Count - LogLines)).Select(line => (IRenderable)new Markup(
            $"[grey]{line.At.TotalSeconds,5:F1} s[/] [{(line.Level < 0 ? Color.Red : LevelColors[line.Level]).ToMarkup()}]{Markup.Escape(line.Text)}[/]")));

        var left = duration - journal.Elapsed;
        return new Rows(
            new Markup($"[bold]MemoryPressure.Reactive demo[/]: a cache fills up, the ladder trims it. Level [bold {color.ToMarkup()}]{level}[/]"),
            memory,
            ladder,
            new Panel(log).Header("transitions").Expand(),
            new Markup($"[grey]{Math.Max(0, left.TotalSeconds):F0} s left; Ctrl+C stops[/]"));
    }

    private static Markup Bar(long value, long maximum, Color color)
    {
        var filled = maximum <= 0 ? 0 : (int)Math.Clamp(value * BarWidth / maximum, 0, BarWidth);
        return new Markup($"[{color.ToMarkup()}]{new string('█', filled)}[/][grey]{new string('░', BarWidth - filled)}[/]");
    }
}
