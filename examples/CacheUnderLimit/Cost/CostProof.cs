using System.Globalization;
using System.Text;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Cost;

/// <summary>
/// What protection costs a busy service that is not under pressure: the cache-aside service of
/// <c>examples/WebService</c> bare and protected by the Hosting package, all on one core, loaded in
/// turn by <c>wrk</c> on the other, in alternating rounds.
/// </summary>
/// <remarks>
/// <para>
/// Two settings: at rest (1,000 keys, all hits once warm, no limit) and under churn (4,000 keys whose
/// values expire a second after they are rendered, so about 250 MiB of new values a second, under a
/// 2 GiB limit that no level comes near). Three configurations: bare (no memory pressure at all), the
/// defaults of <c>AddMemoryPressure()</c>, and the same with the cgroup v1 signals off (as on cgroup v2).
/// </para>
/// <para>
/// The three services of a setting run side by side, each in its own process (and its own limit), and
/// take turns under the load: a warm-up each, then rounds in which each is loaded once, in an order that
/// alternates. A service waiting for its turn is at rest, so the one loaded has the core; and the turns
/// are seconds apart, so a machine whose speed drifts (a shared virtual machine's does, by a third over
/// minutes) slows the bare service and the protected ones alike. The ratios compare each protected turn
/// with the bare turn of its own round. The service's GC counts come from its <c>/gc</c> endpoint, the
/// CPU of the library's own threads from their <c>schedstat</c>, the process's from <c>/proc/&lt;pid&gt;/stat</c>.
/// </para>
/// </remarks>
public static class CostProof
{
    /// <summary>The file the table is written to, in the output directory.</summary>
    public const string TableFileName = "cost.md";

    private static readonly CostSetting[] Settings =
    [
        new("at rest: 1,000 keys, all hits, no limit", 1_000, 0, null),
        new("under churn: 4,000 keys expiring 1 s after rendering, a 2 GiB limit", 4_000, 1_000, 2L << 30),
    ];

    private static readonly CostConfiguration[] Configurations =
    [
        new("bare", "bare", []),
        new("protected, defaults", "protected", []),
        new("protected, v1 signals off", "protected", ["--MemoryPressure:Triggers:UsageThresholds=false", "--MemoryPressure:Triggers:PressureLevel=false"]),
    ];

    /// <summary>Says why the proof cannot run here (see <see cref="Wrk.WhyUnavailable"/>), or <see langword="null"/>.</summary>
    public static string? WhyUnavailable() => Wrk.WhyUnavailable();

    /// <summary>Runs <paramref name="rounds"/> rounds of each setting, prints the table and writes it to <see cref="TableFileName"/>.</summary>
    /// <param name="rounds">The rounds per setting.</param>
    /// <param name="load">How long each service's turn under the load lasts.</param>
    /// <param name="warmUp">How long each service is loaded before the rounds, unmeasured.</param>
    /// <param name="outputDirectory">Where the table is written.</param>
    /// <param name="log">Where progress goes.</param>
    /// <returns>A row per setting and configuration, in the table's order.</returns>
    /// <exception cref="InvalidOperationException">The proof cannot run here, or a service failed requests or did not start.</exception>
    public static async Task<IReadOnlyList<CostRow>> RunAsync(int rounds, TimeSpan load, TimeSpan warmUp, string outputDirectory, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        if (Wrk.WhyUnavailable() is { } reason)
        {
            throw new InvalidOperationException($"The cost proof cannot run here: {reason}.");
        }

        var rows = new List<CostRow>();
        var scratch = Directory.CreateTempSubdirectory("cost-proof-");
        try
        {
            var table = new StringBuilder();
            table.AppendLine(CultureInfo.InvariantCulture, $"The cache-aside service in three processes on core {CostServiceProcess.Core}, loaded in turn by wrk with {Wrk.Connections} connections on core {Wrk.Core}: {warmUp.TotalSeconds:0} s of warm-up each, then {rounds} rounds of a {load.TotalSeconds:0} s turn each. Ratios to the bare turn of the same round, median (lowest to highest):");
            table.AppendLine();
            table.AppendLine("| setting | configuration | requests/s, median | throughput ratio | p99 latency, median | p99 ratio | CPU per request ratio | collections per 1,000 requests (gen0/1/2) | library threads, ms of CPU per s | levels entered |");
            table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var setting in Settings)
            {
                rows.AddRange(await RunSettingAsync(setting, rounds, load, warmUp, scratch.FullName, table, log));
            }

            await ProofTable.WriteAsync(table.ToString(), outputDirectory, TableFileName, log);
            return rows;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task<IEnumerable<CostRow>> RunSettingAsync(CostSetting setting, int rounds, TimeSpan load, TimeSpan warmUp, string scratch, StringBuilder table, TextWriter log)
    {
        var services = new List<CostServiceProcess>();
        try
        {
            foreach (var configuration in Configurations)
            {
                services.Add(await CostServiceProcess.StartAsync(setting, configuration));
            }

            foreach (var service in services)
            {
                await service.LoadAsync(warmUp, scratch);
            }

            var turns = services.Select(_ => new List<CostTurn>()).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                var order = Enumerable.Range(0, services.Count).ToArray();
                if (round % 2 == 1)
                {
                    Array.Reverse(order);
                }

                foreach (var i in order)
                {
                    var turn = await services[i].MeasureAsync(load, scratch);
                    turns[i].Add(turn);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {setting.Name}, round {round + 1}, {Configurations[i].Name}: {turn}"));
                }
            }

            var rows = new List<CostRow>();
            for (var i = 0; i < services.Count; i++)
            {
                var row = new CostRow(
                    setting.Name,
                    Configurations[i].Name,
                    Median(turns[i].Select(t => t.Load.RequestsPerSecond)),
                    Median(turns[i].Select(t => t.LibraryCpuMillisecondsPerSecond)),
                    await services[i].StopAsync());
                rows.Add(row);
                table.AppendLine(Row(row, turns[i], i == 0 ? null : turns[0]));
            }

            return rows;
        }
        finally
        {
            foreach (var service in services)
            {
                await service.DisposeAsync();
            }
        }
    }

    private static string Row(CostRow row, List<CostTurn> turns, List<CostTurn>? bare)
    {
        string Ratio(Func<CostTurn, double> figure) => bare is null
            ? "1"
            : Spread(turns.Zip(bare, (turn, baseline) => figure(turn) / figure(baseline)).ToList());
        var collections = string.Join("/", Enumerable.Range(0, 3).Select(g => Median(turns.Select(t => t.Collections[g] * 1000.0 / t.Load.Requests)).ToString("F2", CultureInfo.InvariantCulture)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {row.Setting} | {row.Configuration} | {row.RequestsPerSecond:N0} | {Ratio(t => t.Load.RequestsPerSecond)} | {Median(turns.Select(t => t.Load.P99Milliseconds)):F2} ms | {Ratio(t => t.Load.P99Milliseconds)} | {Ratio(t => t.CpuMicrosecondsPerRequest)} | {collections} | {row.LibraryCpuMillisecondsPerSecond:F2} | {row.LevelsEntered} |");
    }

    private static string Spread(List<double> ratios) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Median(ratios):F3} ({ratios.Min():F3} to {ratios.Max():F3})");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>One row of the cost proof's table: a configuration of the service in a setting, over every round.</summary>
/// <param name="Setting">The setting: at rest or under churn.</param>
/// <param name="Configuration">bare, or protected and how.</param>
/// <param name="RequestsPerSecond">The median turn's throughput.</param>
/// <param name="LibraryCpuMillisecondsPerSecond">The median turn's CPU on the library's own threads, in ms a second.</param>
/// <param name="LevelsEntered">How many times the service entered a level (none, when the proof measures what it should).</param>
public sealed record CostRow(string Setting, string Configuration, double RequestsPerSecond, double LibraryCpuMillisecondsPerSecond, int LevelsEntered);
