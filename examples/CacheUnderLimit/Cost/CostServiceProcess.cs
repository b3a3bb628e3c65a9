using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Cost;

/// <summary>One of the cost proof's services (<c>tests/MemoryPressure.Reactive.CostService</c>), running on <see cref="Core"/> in its own process and limit, loaded on demand.</summary>
internal sealed partial class CostServiceProcess : IAsyncDisposable
{
    /// <summary>The core the services run on.</summary>
    public const int Core = 0;

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private readonly CostSetting _setting;
    private readonly CostConfiguration _configuration;
    private readonly ChildMemoryLimit? _limit;
    private readonly Process _process;
    private readonly HttpClient _client;
    private readonly Task<string> _errors;
    private Task<string>? _output;
    private bool _disposed;

    private CostServiceProcess(CostSetting setting, CostConfiguration configuration, ChildMemoryLimit? limit, Process process)
    {
        (_setting, _configuration, _limit, _process) = (setting, configuration, limit, process);
        _errors = process.StandardError.ReadToEndAsync();
        _client = new HttpClient();
    }

    /// <summary>Starts the service of <paramref name="configuration"/> for <paramref name="setting"/> and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited before it listened.</exception>
    public static async Task<CostServiceProcess> StartAsync(CostSetting setting, CostConfiguration configuration)
    {
        string[] arguments =
        [
            "-c", Core.ToString(CultureInfo.InvariantCulture), ChildRunner.DotnetHost, Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Reactive.CostService.dll"),
            configuration.Service, setting.ExpireMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information", .. configuration.Arguments,
        ];
        var limit = setting.LimitBytes is { } bytes ? ChildMemoryLimit.Create(bytes, useGcHeapHardLimit: false) : null;
        CostServiceProcess? service = null;
        try
        {
            service = new CostServiceProcess(setting, configuration, limit, limit is not null ? limit.Start("taskset", arguments) : Process.Start(ChildMemoryLimit.Redirected("taskset", arguments))!);
            using var startup = new CancellationTokenSource(Startup);
            string? address = null;
            while (address is null && await service._process.StandardOutput.ReadLineAsync(startup.Token) is { } line)
            {
                address = Listening().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
            }

            if (address is null)
            {
                throw new InvalidOperationException($"the {configuration.Name} service did not start: {await service._errors}");
            }

            service._output = service._process.StandardOutput.ReadToEndAsync();
            service._client.BaseAddress = new Uri(address);
            return service;
        }
        catch
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
            else
            {
                limit?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Loads the service for <paramref name="duration"/>, unmeasured.</summary>
    public Task LoadAsync(TimeSpan duration, string scratch) => Wrk.RunAsync(_client.BaseAddress!.ToString(), _setting.Keys, duration, scratch);

    /// <summary>Loads the service for <paramref name="duration"/> and says what it cost.</summary>
    /// <exception cref="InvalidOperationException">The service failed requests or exited.</exception>
    public async Task<CostTurn> MeasureAsync(TimeSpan duration, string scratch)
    {
        var (collectionsBefore, libraryBefore, processBefore) = (await Collections(), LibraryThreads.Cpu(Proc), ProcessCpu());
        var clock = Stopwatch.StartNew();
        var load = await Wrk.RunAsync(_client.BaseAddress!.ToString(), _setting.Keys, duration, scratch);
        var (libraryAfter, processAfter, seconds) = (LibraryThreads.Cpu(Proc), ProcessCpu(), clock.Elapsed.TotalSeconds);
        var collectionsAfter = await Collections();
        if (load.Failed > 0 || _process.HasExited)
        {
            throw new InvalidOperationException($"the {_configuration.Name} service failed {load.Failed} requests{(_process.HasExited ? $" and exited with {_process.ExitCode}" : "")}: {await _errors}");
        }

        return new CostTurn(
            load,
            [.. collectionsAfter.Zip(collectionsBefore, (after, before) => after - before)],
            (libraryAfter - libraryBefore).TotalMilliseconds / seconds,
            (processAfter - processBefore).TotalMicroseconds / load.Requests);
    }

    /// <summary>Ends the service and counts the levels it entered, from its log.</summary>
    public async Task<int> StopAsync()
    {
        await DisposeAsync();
        return EnteredLevel().Count(await _output!);
    }

    /// <summary>Ends the service, waits for it, and removes its limit; once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _client.Dispose();
        _limit?.Dispose();
    }

    private string Proc => string.Create(CultureInfo.InvariantCulture, $"/proc/{_process.Id}");

    private async Task<long[]> Collections() =>
        [.. (await _client.GetStringAsync("/gc")).Split(' ').Select(count => long.Parse(count, CultureInfo.InvariantCulture))];

    /// <summary>The process's user and system time (<c>/proc/&lt;pid&gt;/stat</c>, fields 14 and 15, in ticks of 10 ms).</summary>
    private TimeSpan ProcessCpu()
    {
        var stat = File.ReadAllText(Path.Combine(Proc, "stat"));
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex("Entered memory pressure level")]
    private static partial Regex EnteredLevel();
}

/// <summary>A setting of the cost proof: the keys the load asks for, how long a value lives, and the limit.</summary>
/// <param name="Name">What the table calls it.</param>
/// <param name="Keys">How many keys the load chooses from.</param>
/// <param name="ExpireMilliseconds">How long a cached value lives; 0 for ever.</param>
/// <param name="LimitBytes">The memory limit of each service, or none.</param>
internal sealed record CostSetting(string Name, int Keys, int ExpireMilliseconds, long? LimitBytes);

/// <summary>A configuration of the cost proof's service.</summary>
/// <param name="Name">What the table calls it.</param>
/// <param name="Service"><c>bare</c> or <c>protected</c>.</param>
/// <param name="Arguments">The service's configuration, as host arguments.</param>
internal sealed record CostConfiguration(string Name, string Service, string[] Arguments);

/// <summary>What one turn under the load measured.</summary>
/// <param name="Load">What wrk measured.</param>
/// <param name="Collections">The collections of generations 0, 1 and 2 during the turn.</param>
/// <param name="LibraryCpuMillisecondsPerSecond">The CPU of the library's own threads, in ms a second.</param>
/// <param name="CpuMicrosecondsPerRequest">The process's CPU per request answered, in µs.</param>
internal sealed record CostTurn(WrkResult Load, long[] Collections, double LibraryCpuMillisecondsPerSecond, double CpuMicrosecondsPerRequest)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Load.RequestsPerSecond:N0} requests/s, p99 {Load.P99Milliseconds:F2} ms, {CpuMicrosecondsPerRequest:F1} us of CPU a request, collections {string.Join("/", Collections)}, library threads {LibraryCpuMillisecondsPerSecond:F2} ms/s");
}
