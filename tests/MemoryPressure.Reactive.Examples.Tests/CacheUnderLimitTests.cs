using CacheUnderLimit;
using CacheUnderLimit.Proof;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The proof in its short configuration: real children under a real memory limit.</summary>
[Collection(SerialTests.Name)]
public class CacheUnderLimitTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [SkippableFact]
    public Task Under_a_cgroup_or_else_a_GC_heap_hard_limit_the_compacted_cache_survives_where_the_unhandled_one_is_killed() =>
        RunShortProof(useGcHeapHardLimit: false);

    [SkippableFact]
    public Task Under_a_GC_heap_hard_limit_the_compacted_cache_survives_where_the_unhandled_one_is_killed() =>
        RunShortProof(useGcHeapHardLimit: true);

    private static async Task RunShortProof(bool useGcHeapHardLimit)
    {
        var unavailable = ChildMemoryLimit.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var output = Directory.CreateTempSubdirectory("cache-under-limit-");
        try
        {
            var options = ProofOptions.ShortRun with { OutputDirectory = output.FullName, UseGcHeapHardLimit = useGcHeapHardLimit };
            var report = await ProofRun.RunAsync(options, TextWriter.Null);

            var unhandled = report[CacheMode.None];
            var compacted = report[CacheMode.Reactive];
            Assert.False(unhandled.Survived, $"mode (a) survived; peak resident {unhandled.PeakResidentBytes} of {unhandled.LimitBytes}");
            Assert.True(compacted.Survived, $"mode (c): {compacted.OutcomeDetail}");
            Assert.NotEmpty(compacted.LevelChanges);
            Assert.True(compacted.EntriesKept > 0);
            Assert.Contains(CacheMode.Reactive.Title(), await File.ReadAllTextAsync(report.TablePath), StringComparison.Ordinal);
            Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(report.ChartPath))[..4]);
            Assert.Empty(LeftoverCgroups());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    internal static string[] LeftoverCgroups() =>
        Directory.Exists("/sys/fs/cgroup/memory")
            ? Directory.GetDirectories("/sys/fs/cgroup/memory", $"cache-under-limit-{Environment.ProcessId}-*")
            : [];
}
