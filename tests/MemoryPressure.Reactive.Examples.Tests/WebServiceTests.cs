using System.Diagnostics;
using System.Net;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The web example, run as a child on a loopback port and asked over HTTP.</summary>
[Collection(SerialTests.Name)]
public partial class WebServiceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public Task At_rest_the_health_endpoints_answer_healthy_and_the_metrics_include_the_level() =>
        AssertAnswersAtRestAsync(ExampleProcess.Start("WebService.dll", "--urls", "http://127.0.0.1:0"));

    /// <summary>
    /// Asks the <paramref name="process"/>, just started on <c>http://127.0.0.1:0</c> however it was built (the native
    /// AOT build too), what a service at rest answers; then ends it and waits for it, whatever happened.
    /// </summary>
    internal static async Task AssertAnswersAtRestAsync(Process process)
    {
        using var bound = new CancellationTokenSource(Bound);
        await using var service = await WebServiceChild.AttachAsync(process, bound.Token);
        using var client = new HttpClient { BaseAddress = new Uri(service.Address), Timeout = Bound };

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
}
