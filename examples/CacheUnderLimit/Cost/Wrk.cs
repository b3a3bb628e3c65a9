using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Cost;

/// <summary>
/// Debian's <c>wrk</c> (<c>apt-get install -y wrk</c>) on one core of its own, <see cref="Connections"/>
/// connections asking for random keys of a cache-aside endpoint (<c>/items/{key}</c>).
/// </summary>
internal static partial class Wrk
{
    /// <summary>The open connections, as many clients as the service proof has.</summary>
    public const int Connections = 64;

    /// <summary>The core wrk runs on.</summary>
    public const int Core = 1;

    /// <summary>Says why the load cannot be generated here (<c>wrk</c> or <c>taskset</c> missing, fewer than two cores), or <see langword="null"/>.</summary>
    public static string? WhyUnavailable() =>
        !OnPath("wrk") ? "wrk is not installed (apt-get install -y wrk)"
        : !OnPath("taskset") ? "taskset is not installed (util-linux)"
        : Environment.ProcessorCount < 2 ? "the service and the load generator need a core each, and this machine has one"
        : null;

    /// <summary>Asks for keys 0 to <paramref name="keys"/> - 1 at random for <paramref name="duration"/>, pinned to <see cref="Core"/>.</summary>
    /// <param name="address">The service's base address.</param>
    /// <param name="keys">How many keys the requests choose from.</param>
    /// <param name="duration">How long the load lasts (whole seconds).</param>
    /// <param name="scratch">A directory for the request script.</param>
    public static async Task<WrkResult> RunAsync(string address, int keys, TimeSpan duration, string scratch)
    {
        var script = Path.Combine(scratch, string.Create(CultureInfo.InvariantCulture, $"random-{keys}.lua"));
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, string.Create(CultureInfo.InvariantCulture, $"request = function() return wrk.format(nil, \"/items/\" .. math.random(0, {keys - 1})) end\n"));
        }

        using var wrk = Process.Start(ChildMemoryLimit.Redirected("taskset",
        [
            "-c", Core.ToString(CultureInfo.InvariantCulture), "wrk", "-t1", string.Create(CultureInfo.InvariantCulture, $"-c{Connections}"),
            string.Create(CultureInfo.InvariantCulture, $"-d{Math.Max(1, (int)duration.TotalSeconds)}s"), "--latency", "-s", script, address,
        ]))!;
        var errors = wrk.StandardError.ReadToEndAsync();
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0 || RequestsLine().Match(output) is not { Success: true } requests || RateLine().Match(output) is not { Success: true } rate || P99Line().Match(output) is not { Success: true } p99)
        {
            throw new InvalidOperationException($"wrk exited with {wrk.ExitCode} and printed no result: {output} {await errors}");
        }

        var unit = p99.Groups[2].Value switch
        {
            "us" => 0.001,
            "ms" => 1.0,
            "s" => 1000.0,
            var other => throw new InvalidOperationException($"wrk printed a latency in an unknown unit: {other}"),
        };
        var failed = NonSuccessLine().Match(output) is { Success: true } non2xx ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        failed += SocketErrorsLine().Match(output) is { Success: true } socket
            ? socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture) * unit,
            failed);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, program)));

    [GeneratedRegex(@"(?m)^\s*(\d+) requests in ")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"(?m)^Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"(?m)^\s+99%\s+([\d.]+)(us|ms|s)\s*$")]
    private static partial Regex P99Line();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}

/// <summary>What one run of <see cref="Wrk"/> measured.</summary>
/// <param name="Requests">The requests answered.</param>
/// <param name="RequestsPerSecond">The rate wrk reports.</param>
/// <param name="P99Milliseconds">The 99th percentile of the latency.</param>
/// <param name="Failed">Answers other than 2xx or 3xx, and socket errors.</param>
internal sealed record WrkResult(long Requests, double RequestsPerSecond, double P99Milliseconds, long Failed);
