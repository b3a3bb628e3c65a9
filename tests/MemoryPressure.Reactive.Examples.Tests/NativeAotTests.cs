using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>
/// The quick start and the web example published as native executables, with no trim or AOT warning, and run:
/// they must do what their JIT builds do (<see cref="QuickStartTests"/>, <see cref="WebServiceTests"/>).
/// </summary>
/// <remarks>
/// Serial: a publish keeps both cores busy for about a minute, which the timing tests of other assemblies must
/// not share. Each test reports how long its publish took (<c>--logger "console;verbosity=detailed"</c> shows it).
/// </remarks>
[Collection(SerialTests.Name)]
public class NativeAotTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PublishBound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task The_quick_start_published_native_prints_what_its_JIT_build_prints_and_weighs_the_cache_to_the_byte()
    {
        using var publish = await PublishAsync("QuickStart");

        var (printed, errors) = await ExampleProcess.RunToEndAsync(RunBound, ExampleProcess.StartNative(publish.Executable), "the native QuickStart");

        QuickStartTests.AssertSaysWhatItSaw(printed, errors);
    }

    [SkippableFact]
    public async Task The_web_example_published_native_answers_its_health_endpoints_and_metrics_over_loopback()
    {
        using var publish = await PublishAsync("WebService");

        await WebServiceTests.AssertAnswersAtRestAsync(ExampleProcess.StartNative(publish.Executable, "--urls", "http://127.0.0.1:0"));
    }

    /// <summary>Publishes the example, skipping without a native toolchain; fails on any warning, listing them.</summary>
    private async Task<NativeAotPublish> PublishAsync(string example)
    {
        var unavailable = NativeAotPublish.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);

        var publish = await NativeAotPublish.RunAsync(example, PublishBound);
        try
        {
            output.WriteLine($"native AOT publish of {example}: {publish.Duration.TotalSeconds:F1} s");
            Assert.True(
                publish.Warnings.Count == 0,
                $"the native AOT publish of {example} printed {publish.Warnings.Count} warnings or errors:\n{string.Join('\n', publish.Warnings)}");
            Assert.True(publish.Succeeded, $"the native AOT publish of {example} exited with {publish.ExitCode}:\n{publish.Output}");
            return publish;
        }
        catch
        {
            publish.Dispose();
            throw;
        }
    }
}
