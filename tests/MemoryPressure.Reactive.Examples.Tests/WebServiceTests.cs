using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The web example with no configuration, run as a child on a loopback port and asked over HTTP.</summary>
[Collection(SerialTests.Name)]
public partial class WebServiceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public Task At_rest_the_health_endpoints_answer_healthy_and_the_metrics_include_the_level() =>
        AssertAnswersAtRestAsync(ExampleProcess.Start("WebService.dll", "--urls", "http://127.0.0.1:0"));

    /// <summary>
    /// Asks the <paramref name="service"/>, just started on <c>http://127.0.0.1:0</c> however it was built (the native
    /// AOT build too), what a service at rest answers; then ends it and waits for it, whatever happened.
    /// </summary>
    internal static async Task AssertAnswersAtRestAsync(Process service)
    {
        using var _ = service;
        var errors = service.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            var address = await ListeningAddress(service.StandardOutput, bound.Token)
                ?? throw new InvalidOperationException($"the service exited with {service.ExitCode} before listening: {await errors}");
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = Bound };

            foreach (var path in new[] { "/health", "/health/ready", "/health/live" })
            {
                using var response = await client.GetAsync(path, bound.Token);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {response.StatusCode}");
                Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(bound.Token));
            }

            Assert.Equal("65536", await client.GetStringAsync("/items/7", bound.Token));
            var metrics = await client.GetStringAsync("/metrics", bound.Token);
            Assert.Matches(@"(?m)^memory_pressure_severity_level\{[^}]*\} 0$", metrics);
            Assert.Matches(@"(?m)^memory_pressure_process_memory_usage_bytes\{[^}]*\} [1-9]\d*$", metrics);
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync(CancellationToken.None);
        }
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
