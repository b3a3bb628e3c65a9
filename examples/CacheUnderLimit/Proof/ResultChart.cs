using ScottPlot;

namespace CacheUnderLimit.Proof;

/// <summary>Resident memory of each mode over time, with the limit, the threshold and the level changes of mode (c).</summary>
internal static class ResultChart
{
    private static readonly Color[] ModeColors = [Colors.FireBrick, Colors.DarkOrange, Colors.SeaGreen];
    private static readonly Color[] LevelColors = [Colors.Gold, Colors.OrangeRed, Colors.DarkRed];

    public static void Save(IReadOnlyList<ModeRun> runs, string path)
    {
        var plot = new Plot();
        var limit = runs[0];
        plot.Title($"Resident memory under a {Mebibytes.Format(limit.LimitBytes)} {limit.LimitKind}");
        plot.XLabel("seconds since the child started");
        plot.YLabel("resident memory (MiB)");

        Line(plot, Mebibytes.Of(limit.LimitBytes), "limit", Colors.Black, LinePattern.Solid);
        if (limit.Started is { GcHeapHardLimitBytes: > 0 } started && started.GcHeapHardLimitBytes != limit.LimitBytes)
        {
            Line(plot, Mebibytes.Of(started.GcHeapHardLimitBytes), "GC heap hard limit", Colors.Gray, LinePattern.Dashed);
        }

        Line(plot, Mebibytes.Of(limit.LimitBytes) / 2, $"threshold: {ProofLadder.Create().GetLevel(1).Condition}", Colors.Gray, LinePattern.Dotted);

        foreach (var run in runs)
        {
            var color = ModeColors[(int)run.Mode];
            var memory = plot.Add.ScatterLine(
                run.Readings.Select(r => r.Seconds).ToArray(),
                run.Readings.Select(r => Mebibytes.Of(r.ResidentBytes)).ToArray(),
                color);
            memory.LineWidth = 2;
            memory.LegendText = run.Survived ? run.Mode.Title() : $"{run.Mode.Title()}: {run.OutcomeDetail}";
            if (!run.Survived && run.Readings.Count > 0)
            {
                var death = plot.Add.Marker(run.Readings[^1].Seconds, Mebibytes.Of(run.Readings[^1].ResidentBytes), MarkerShape.Eks, 14, color);
                death.LineWidth = 3;
            }

            MarkLevels(plot, run);
        }

        plot.Axes.SetLimits(0, runs.Max(run => run.Readings.Count == 0 ? 0 : run.Readings[^1].Seconds) + 1, 0, Mebibytes.Of(limit.LimitBytes) * 1.1);
        plot.ShowLegend(Edge.Bottom);
        plot.SavePng(path, 1200, 800);
    }

    /// <summary>Marks each step into a level with a triangle in that level's colour, on the resident memory of the step.</summary>
    private static void MarkLevels(Plot plot, ModeRun run)
    {
        foreach (var level in run.LevelChanges.Where(step => step.To > step.From).GroupBy(step => step.To).OrderBy(group => group.Key))
        {
            var marks = plot.Add.ScatterPoints(
                level.Select(step => step.Seconds).ToArray(),
                level.Select(step => Mebibytes.Of(step.ResidentBytes)).ToArray(),
                LevelColors[Math.Min(level.Key, LevelColors.Length) - 1]);
            marks.MarkerShape = MarkerShape.FilledTriangleUp;
            marks.MarkerSize = 8;
            marks.LegendText = $"(c) entered level {level.Key}: {level.First().Condition}";
        }
    }

    private static void Line(Plot plot, double mebibytes, string label, Color color, LinePattern pattern)
    {
        var line = plot.Add.HorizontalLine(mebibytes, 1.5f, color, pattern);
        line.LegendText = label;
    }
}
