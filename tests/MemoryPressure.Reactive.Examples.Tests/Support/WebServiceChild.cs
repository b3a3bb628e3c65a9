using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>
/// The web example run as a child on a free loopback port: started, its address read from its log,
/// killed and waited for on dispose.
/// </summary>
internal sealed partial class WebServiceChild : IAsyncDisposable
{
    private readonly Process _process;

    private WebServiceChild(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The address it listens on, <c>http://127.0.0.1:port</c>.</summary>
    public string Address { get; }

    /// <summary>Starts the example with <paramref name="arguments"/> (configuration keys, say) and <paramref name="environment"/>, and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited before it listened.</exception>
    public static Task<WebServiceChild> StartAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        AttachAsync(ExampleProcess.Start(environment, "WebService.dll", ["--urls", "http://127.0.0.1:0", .. arguments]), cancellationToken);

    /// <summary>Takes over the web example just started as <paramref name="process"/> on <c>http://127.0.0.1:0</c>, however it was built (the native AOT build too), and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited before it listened.</exception>
    public static async Task<WebServiceChild> AttachAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var address = await ListeningAddress(process.StandardOutput, cancellationToken)
                ?? throw new InvalidOperationException($"the service exited with {await ExitCode(process)} before listening: {await errors}");
            return new WebServiceChild(process, address);
        }
        catch
        {
            await Stop(process);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(Stop(_process));

    private static async Task Stop(Process process)
    {
        using (process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task<int> ExitCode(Process process)
    {
        await process.WaitForExitAsync(CancellationToken.None);
        return process.ExitCode;
    }

    private static async Task<string?> ListeningAddress(StreamReader output, CancellationToken cancellationToken)
    {
        while (await output.ReadLineAsync(cancellationToken) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                // Keep draining the output so the service never blocks writing its logs.
                _ = output.ReadToEndAsync(CancellationToken.None);
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
