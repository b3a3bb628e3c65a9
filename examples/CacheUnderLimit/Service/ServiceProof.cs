using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Service;

/// <summary>
/// The cache-aside web service of <c>examples/WebService</c> under a real 256 MiB limit and a load
/// of random keys, protected by the Hosting package's configuration alone, beside a control whose
/// ladder never acts.
/// </summary>
/// <remarks>
/// Each run starts the service in its own limit on a loopback port, then 64 concurrent clients ask
/// for random items (each miss renders and caches 64 KiB) for 20 s. A run survives when the service
/// still answers at the end. Three configurations: the defaults (the default ladder, every signal);
/// the same with the cgroup v1 signals off in the <c>Triggers</c> section, as on cgroup v2; and the
/// control, whose one level (<c>GlobalAbsolute &lt; 1B</c>) never holds. The output of a guarded run that
/// dies (its warnings: every level entered and left, with the sample) is kept in
/// <c>artifacts/CacheUnderLimit/service-died-*.log</c>.
/// </remarks>
public static partial class ServiceProof
{
    private const int Clients = 64;
    private static readonly string Artifacts = Path.Combine("artifacts", "CacheUnderLimit");
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(20);

    /// <summary>Gets the configurations compared: a name, the service's command-line configuration, and whether it is the control (run once).</summary>
    public static IReadOnlyList<(string Name, string[] Configuration, bool IsControl)> Configurations { get; } =
    [
        ("defaults", [], false),
        ("UsageThresholds and PressureLevel off", ["--MemoryPressure:Triggers:UsageThresholds=false", "--MemoryPressure:Triggers:PressureLevel=false"], false),
        ("control: a level that never holds", ["--MemoryPressure:Levels:0=GlobalAbsolute < 1B"], true),
    ];

    /// <summary>Runs each configuration <paramref name="runs"/> times (the control once), each with <paramref name="extra"/> configuration too, and prints a table.</summary>
    public static async Task<int> RunAsync(int runs, IReadOnlyList<string> extra, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runs);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"The cache-aside web service under a 256 MiB limit, {Clients} clients asking for random items for {Load.TotalSeconds:0} s:");
        table.AppendLine();
        table.AppendLine("| configuration | survived | requests per second (median run) | a held level acted again (all runs) | how the others ended |");
        table.AppendLine("|---|---:|---:|---:|---|");
        foreach (var (name, configuration, isControl) in Configurations)
        {
            var count = isControl ? 1 : runs;
            var results = new List<ServiceRun>();
            for (var i = 0; i < count; i++)
            {
                var run = await RunOnceAsync([.. configuration, .. extra]);
                results.Add(run);
                if (!run.Survived && !isControl)
                {
                    Directory.CreateDirectory(Artifacts);
                    var path = Path.GetFullPath(Path.Combine(Artifacts, string.Create(CultureInfo.InvariantCulture, $"service-died-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log")));
                    await File.WriteAllTextAsync(path, $"{name}, run {i + 1}: {run.Ending}\n{run.Output}");
                    log.WriteLine($"  its output: {path}");
                }

                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}, run {i + 1}: {(run.Survived ? "survived" : run.Ending)}, {run.RequestsPerSecond:N0} requests/s, {run.Repeats} repeats"));
            }

            var rates = results.Select(r => r.RequestsPerSecond).Order().ToList();
            var endings = string.Join(", ", results.Where(r => !r.Survived).Select(r => r.Ending).Distinct());
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {results.Count(r => r.Survived)} of {results.Count} | {rates[rates.Count / 2]:N0} | {results.Sum(r => r.Repeats)} | {(endings.Length == 0 ? "-" : endings)} |");
        }

        log.WriteLine();
        log.Write(table);
        return 0;
    }

    private static async Task<ServiceRun> RunOnceAsync(string[] configuration)
    {
        using var limit = ChildMemoryLimit.Create(256L << 20, useGcHeapHardLimit: false);
        using var service = limit.Start(
            ChildRunner.DotnetHost,
            [Path.Combine(AppContext.BaseDirectory, "WebService.dll"), "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", .. configuration]);
        var errors = service.StandardError.ReadToEndAsync();
        string? address = null;
        while (address is null && await service.StandardOutput.ReadLineAsync() is { } line)
        {
            address = Listening().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
        }

        if (address is null)
        {
            return new ServiceRun(false, $"did not start: {(await errors).Split('\n').FirstOrDefault()}", 0);
        }

        var output = service.StandardOutput.ReadToEndAsync();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
        long served = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Load);
        var workers = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !service.HasExited)
            {
                try
                {
                    using var response = await client.GetAsync($"/items/{Random.Shared.Next(10_000_000)}", stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref served);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The service died, or the load is over.
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var rate = served / clock.Elapsed.TotalSeconds;
        if (service.HasExited)
        {
            var exit = service.ExitCode;
            var firstError = (await errors).Split('\n').FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("memory", StringComparison.OrdinalIgnoreCase)) ?? "";
            return new ServiceRun(false, string.Create(CultureInfo.InvariantCulture, $"{(exit == 137 || limit.KernelOomKills() > 0 ? "OOM-killed by the kernel" : $"exited with {exit}")} after {clock.Elapsed.TotalSeconds:F1} s: {firstError.Trim()}"), rate)
            {
                Output = await output + await errors,
            };
        }

        using var last = await client.GetAsync("/health/live");
        service.Kill();
        await service.WaitForExitAsync();
        return new ServiceRun(last.StatusCode == HttpStatusCode.OK, $"answered {last.StatusCode}", rate) { Output = await output + await errors };
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private sealed record ServiceRun(bool Survived, string Ending, double RequestsPerSecond)
    {
        /// <summary>Gets what the service wrote, standard output then standard error.</summary>
        public string Output { get; init; } = "";

        /// <summary>Gets how many times a level that stayed in effect acted again (<c>MemoryPressureLevelRepeated</c>, a warning).</summary>
        public int Repeats => Output.AsSpan().Count("it acts again");
    }
}
