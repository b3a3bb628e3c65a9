using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>
/// Debian's <c>prometheus</c> run as a child: its configuration and storage in a temporary folder,
/// listening on a free loopback port, asked through its HTTP API; killed, waited for and its folder
/// removed on dispose.
/// </summary>
internal sealed partial class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _log;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, DirectoryInfo folder, StringBuilder log, string address)
    {
        _process = process;
        _folder = folder;
        _log = log;
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Says which of <c>prometheus</c> and <c>promtool</c> is missing, or <see langword="null"/> when both are on the path.</summary>
    public static string? WhyUnavailable() =>
        new[] { "prometheus", "promtool" }.FirstOrDefault(tool => Executable(tool) is null) is { } missing
            ? $"{missing} is not on the PATH (Debian's package prometheus; .ci/run installs it)"
            : null;

    /// <summary>The full path of <paramref name="tool"/> on the PATH, or <see langword="null"/>.</summary>
    public static string? Executable(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs <c>promtool</c> with <paramref name="arguments"/> to its end.</summary>
    /// <returns>Its exit code, and what it printed on its standard output and error.</returns>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable("promtool") ?? "promtool", arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var promtool = Process.Start(start)!;
        var output = promtool.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = promtool.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await promtool.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            promtool.Kill(entireProcessTree: true);
            await promtool.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return (promtool.ExitCode, await output + await errors);
    }

    /// <summary>What the server logged so far, for a failure's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>prometheus</c> with <paramref name="configuration"/> (YAML) and waits until it is ready to serve queries.</summary>
    /// <exception cref="InvalidOperationException">It exited, or never said where it listens.</exception>
    public static async Task<PrometheusServer> StartAsync(string configuration, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("mpr-prometheus-");
        var configFile = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, configuration, cancellationToken);

        var start = new ProcessStartInfo(Executable("prometheus") ?? "prometheus") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add($"--config.file={configFile}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}");
        // Port 0: the kernel picks a free port and the server logs it, so no two runs race for one.
        start.ArgumentList.Add("--web.listen-address=127.0.0.1:0");
        start.ArgumentList.Add($"--web.console.templates={Path.Combine(folder.FullName, "consoles")}");
        start.ArgumentList.Add($"--web.console.libraries={Path.Combine(folder.FullName, "console_libraries")}");

        var log = new StringBuilder();
        Process? process = null;
        try
        {
            process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var address = await ListeningAddress(process.StandardError, log, cancellationToken)
                ?? throw new InvalidOperationException($"prometheus exited before it listened:\n{log}");
            var server = new PrometheusServer(process, folder, log, address);
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await Stop(process, folder);
            throw;
        }
    }

    /// <summary>Runs an instant query through <c>/api/v1/query</c> and returns its <c>data.result</c>.</summary>
    /// <exception cref="InvalidOperationException">Prometheus did not answer <c>success</c> (a bad expression, say).</exception>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var data = await GetDataAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}", cancellationToken);
        return data.GetProperty("result");
    }

    /// <summary>Asks an API path (<c>/api/v1/rules</c>, <c>/api/v1/alerts</c>) and returns its <c>data</c>.</summary>
    /// <exception cref="InvalidOperationException">Prometheus did not answer <c>success</c>.</exception>
    public async Task<JsonElement> GetDataAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(path, cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{path} answered {response.StatusCode}: {root}");
        }

        return root.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Stop(_process, _folder);
    }

    private static async Task Stop(Process? process, DirectoryInfo folder)
    {
        if (process is not null)
        {
            using (process)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        folder.Delete(recursive: true);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        // The server listens before its storage is open; /-/ready answers 200 once queries are served.
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await _client.GetAsync("/-/ready", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task<string?> ListeningAddress(StreamReader errors, StringBuilder log, CancellationToken cancellationToken)
    {
        while (await errors.ReadLineAsync(cancellationToken) is { } line)
        {
            log.AppendLine(line);
            if (Listening().Match(line) is { Success: true } match)
            {
                // Keep draining its log, kept for a failure's message, so it never blocks writing.
                _ = Task.Run(
                    async () =>
                    {
                        while (await errors.ReadLineAsync(CancellationToken.None) is { } next)
                        {
                            lock (log)
                            {
                                log.AppendLine(next);
                            }
                        }
                    },
                    CancellationToken.None);
                return $"http://{match.Groups[1].Value}";
            }
        }

        return null;
    }

    [GeneratedRegex(@"msg=""Listening on"" address=(127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
