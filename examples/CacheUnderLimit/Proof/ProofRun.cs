using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>The parent: runs the three modes side by side, each in a child under its own limit, and writes the results.</summary>
public static class ProofRun
{
    /// <summary>The file name of the Markdown table in the output directory.</summary>
    public const string TableFileName = "cache-under-limit.md";

    /// <summary>The file name of the PNG chart in the output directory.</summary>
    public const string ChartFileName = "cache-under-limit.png";

    /// <summary>Runs every mode at once, waits for all, and writes the table and the chart.</summary>
    /// <param name="options">The limit, the duration and the output directory.</param>
    /// <param name="log">Where progress and the table are written.</param>
    /// <returns>The runs and the paths of the files written.</returns>
    public static async Task<ProofReport> RunAsync(ProofOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        log = TextWriter.Synchronized(log);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Running the cache workload for {options.Duration.TotalSeconds:F0} s in three child processes, each under a {Mebibytes.Format(options.LimitBytes)} limit..."));

        var runs = await Task.WhenAll(Enum.GetValues<CacheMode>().Select(async mode =>
        {
            var run = await ChildRunner.RunAsync(mode, options);
            log.WriteLine($"  {mode.Title()}: {run.OutcomeDetail}");
            return run;
        }));

        Directory.CreateDirectory(options.OutputDirectory);
        var tablePath = Path.GetFullPath(Path.Combine(options.OutputDirectory, TableFileName));
        var chartPath = Path.GetFullPath(Path.Combine(options.OutputDirectory, ChartFileName));
        var table = ResultTable.ToMarkdown(runs, options, ChartFileName);
        await File.WriteAllTextAsync(tablePath, table);
        ResultChart.Save(runs, chartPath);

        log.WriteLine();
        log.Write(table);
        log.WriteLine();
        log.WriteLine($"Written: {tablePath}");
        log.WriteLine($"         {chartPath}");
        return new ProofReport(runs, tablePath, chartPath);
    }
}
