using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Cost;

/// <summary>
/// What protection costs a busy service that is not under pressure: the cache-aside service of
/// <c>examples/WebService</c> bare and protected by the Hosting package, on one core, loaded by
/// <c>wrk</c> on the other, in alternating rounds.
/// </summary>
/// <remarks>
/// Two settings: at rest (1,000 keys, all hits once warm, no limit) and under churn (4,000 keys whose
/// values expire a second after they are rendered, so about 250 MiB of new values a second, under a
/// 2 GiB limit that no level comes near). Three configurations: bare (no memory pressure at all), the
/// defaults of <c>AddMemoryPressure()</c>, and the same with the cgroup v1 signals off (as on cgroup v2).
/// Each round runs every configuration once, in an order that alternates, each in a fresh process:
/// a warm-up, then the measured load. The ratios compare each protected run with the bare run of its
/// own round. The service's GC counts come from its <c>/gc</c> endpoint, the CPU of the library's own
/// threads from their <c>schedstat</c>, the process's CPU from <c>/proc/&lt;pid&gt;/stat</c>.
/// </remarks>
public static partial class CostProof
{
    /// <summary>The file the table is written to, in the output directory.</summary>
    public const string TableFileName = "cost.md";

    private const int ServerCore = 0;
    private const int LoadCore = 1;
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private static readonly (string Name, int Keys, int ExpireMilliseconds, long? LimitBytes)[] Settings =
    [
        ("at rest: 1,000 keys, all hits, no limit", 1_000, 0, null),
        ("under churn: 4,000 keys expiring 1 s after rendering, a 2 GiB limit", 4_000, 1_000, 2L << 30),
    ];

    private static readonly (string Name, string Service, string[] Configuration)[] Configurations =
    [
        ("bare", "bare", []),
        ("protected, defaults", "protected", []),
        ("protected, v1 signals off", "protected", ["--MemoryPressure:Triggers:UsageThresholds=false", "--MemoryPressure:Triggers:PressureLevel=false"]),
    ];

    /// <summary>Says why the proof cannot run here (see <see cref="Wrk.WhyUnavailable"/>), or <see langword="null"/>.</summary>
    public static string? WhyUnavailable() => Wrk.WhyUnavailable();

    /// <summary>Runs <paramref name="rounds"/> rounds of each setting, prints the table and writes it to <see cref="TableFileName"/>.</summary>
    /// <param name="rounds">The rounds per setting.</param>
    /// <param name="load">How long each measured load lasts.</param>
    /// <param name="warmUp">How long the load before it lasts, unmeasured.</param>
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
            table.AppendLine(CultureInfo.InvariantCulture, $"The cache-aside service on core {ServerCore}, wrk with {Wrk.Connections} connections on core {LoadCore}, {rounds} rounds of {warmUp.TotalSeconds:0} s warm-up and {load.TotalSeconds:0} s measured; ratios to the bare run of the same round, median (lowest to highest):");
            table.AppendLine();
            table.AppendLine("| setting | configuration | requests/s, median | throughput ratio | p99 latency, median | p99 ratio | CPU per request ratio | collections per 1,000 requests (gen0/1/2) | library threads, ms of CPU per s | levels entered |");
            table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var setting in Settings)
            {
                var runs = Configurations.Select(_ => new List<CostRun>()).ToArray();
                for (var round = 0; round < rounds; round++)
                {
                    var order = Enumerable.Range(0, Configurations.Length).ToArray();
                    if (round % 2 == 1)
                    {
                        Array.Reverse(order);
                    }

                    foreach (var i in order)
                    {
                        var run = await RunOnceAsync(setting, Configurations[i], load, warmUp, scratch.FullName);
                        runs[i].Add(run);
                        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {setting.Name}, round {round + 1}, {Configurations[i].Name}: {run}"));
                    }
                }

                for (var i = 0; i < Configurations.Length; i++)
                {
                    var row = new CostRow(
                        setting.Name,
                        Configurations[i].Name,
                        Median(runs[i].Select(r => r.Load.RequestsPerSecond).ToList()),
                        Median(runs[i].Select(r => r.LibraryCpuMillisecondsPerSecond).ToList()),
                        runs[i].Sum(r => r.LevelsEntered));
                    rows.Add(row);
                    table.AppendLine(Row(row, runs[i], i == 0 ? null : runs[0]));
                }
            }

            await ProofTable.WriteAsync(table.ToString(), outputDirectory, TableFileName, log);
            return rows;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static string Row(CostRow row, List<CostRun> runs, List<CostRun>? bare)
    {
        string Ratio(Func<CostRun, double> figure) => bare is null
            ? "1"
            : Spread(runs.Zip(bare, (run, baseline) => figure(run) / figure(baseline)).ToList(), "F3");
        var collections = string.Join("/", Enumerable.Range(0, 3).Select(g => Median(runs.Select(r => r.Collections[g] * 1000.0 / r.Load.Requests).ToList()).ToString("F2", CultureInfo.InvariantCulture)));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {row.Setting} | {row.Configuration} | {row.RequestsPerSecond:N0} | {Ratio(r => r.Load.RequestsPerSecond)} | {Median(runs.Select(r => r.Load.P99Milliseconds).ToList()):F2} ms | {Ratio(r => r.Load.P99Milliseconds)} | {Ratio(r => r.CpuPerRequest)} | {collections} | {row.LibraryCpuMillisecondsPerSecond:F2} | {row.LevelsEntered} |");
    }

    private static string Spread(List<double> values, string format) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} ({values.Min().ToString(format, CultureInfo.InvariantCulture)} to {values.Max().ToString(format, CultureInfo.InvariantCulture)})");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<CostRun> RunOnceAsync(
        (string Name, int Keys, int ExpireMilliseconds, long? LimitBytes) setting,
        (string Name, string Service, string[] Configuration) configuration,
        TimeSpan load,
        TimeSpan warmUp,
        string scratch)
    {
        string[] arguments =
        [
            "-c", ServerCore.ToString(CultureInfo.InvariantCulture), ChildRunner.DotnetHost, Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Reactive.CostService.dll"),
            configuration.Service, setting.ExpireMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", .. configuration.Configuration,
        ];
        using var limit = setting.LimitBytes is { } bytes ? ChildMemoryLimit.Create(bytes, useGcHeapHardLimit: false) : null;
        using var service = limit is not null ? limit.Start("taskset", arguments) : StartUnlimited("taskset", arguments);
        try
        {
            var errors = service.StandardError.ReadToEndAsync();
            using var startup = new CancellationTokenSource(Startup);
            string? address = null;
            while (address is null && await service.StandardOutput.ReadLineAsync(startup.Token) is { } line)
            {
                address = Listening().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
            }

            if (address is null)
            {
                throw new InvalidOperationException($"the {configuration.Name} service did not start: {await errors}");
            }

            var output = service.StandardOutput.ReadToEndAsync();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            await Wrk.RunAsync(address, setting.Keys, warmUp, LoadCore, scratch);
            var (gcBefore, libraryBefore, processBefore) = (await Collections(client), LibraryThreads.Cpu(Proc(service)), ProcessCpu(service));
            var clock = Stopwatch.StartNew();
            var result = await Wrk.RunAsync(address, setting.Keys, load, LoadCore, scratch);
            var (libraryAfter, processAfter, seconds) = (LibraryThreads.Cpu(Proc(service)), ProcessCpu(service), clock.Elapsed.TotalSeconds);
            var gcAfter = await Collections(client);
            if (result.Failed > 0 || service.HasExited)
            {
                throw new InvalidOperationException($"the {configuration.Name} service failed {result.Failed} requests{(service.HasExited ? $" and exited with {service.ExitCode}" : "")}: {await errors}");
            }

            service.Kill();
            await service.WaitForExitAsync();
            return new CostRun(
                result,
                [.. gcAfter.Zip(gcBefore, (after, before) => after - before)],
                (libraryAfter - libraryBefore).TotalMilliseconds / seconds,
                (processAfter - processBefore).TotalMicroseconds / result.Requests,
                EnteredLevel().Count(await output));
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill();
                await service.WaitForExitAsync();
            }
        }
    }

    private static Process StartUnlimited(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static string Proc(Process process) => string.Create(CultureInfo.InvariantCulture, $"/proc/{process.Id}");

    private static async Task<long[]> Collections(HttpClient client) =>
        [.. (await client.GetStringAsync("/gc")).Split(' ').Select(count => long.Parse(count, CultureInfo.InvariantCulture))];

    /// <summary>The process's user and system time (<c>/proc/&lt;pid&gt;/stat</c>, fields 14 and 15, in ticks of 10 ms).</summary>
    private static TimeSpan ProcessCpu(Process process)
    {
        var stat = File.ReadAllText(Path.Combine(Proc(process), "stat"));
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex("Entered memory pressure level")]
    private static partial Regex EnteredLevel();

    private sealed record CostRun(WrkResult Load, long[] Collections, double LibraryCpuMillisecondsPerSecond, double CpuPerRequest, int LevelsEntered)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Load.RequestsPerSecond:N0} requests/s, p99 {Load.P99Milliseconds:F2} ms, {CpuPerRequest:F1} us of CPU a request, collections {string.Join("/", Collections)}, library threads {LibraryCpuMillisecondsPerSecond:F2} ms/s, {LevelsEntered} levels entered");
    }
}

/// <summary>One row of the cost proof's table: a configuration of the service in a setting, over every round.</summary>
/// <param name="Setting">The setting: at rest or under churn.</param>
/// <param name="Configuration">bare, or protected and how.</param>
/// <param name="RequestsPerSecond">The median run's throughput.</param>
/// <param name="LibraryCpuMillisecondsPerSecond">The median run's CPU on the library's own threads, in ms a second.</param>
/// <param name="LevelsEntered">How many times a level was entered, over every round (none, when the proof measures what it should).</param>
public sealed record CostRow(string Setting, string Configuration, double RequestsPerSecond, double LibraryCpuMillisecondsPerSecond, int LevelsEntered);
