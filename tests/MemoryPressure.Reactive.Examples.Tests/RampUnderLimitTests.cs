using CacheUnderLimit.Proof;
using CacheUnderLimit.Ramp;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The ramp proof, one run per guard: a managed cache grown at 400 MiB/s under a real 256 MiB limit.</summary>
[Collection(SerialTests.Name)]
public class RampUnderLimitTests
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_heap_condition_empties_the_cache_in_time_with_and_without_the_cgroup_v1_signals(bool useGcHeapHardLimit)
    {
        var unavailable = ChildMemoryLimit.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var output = Directory.CreateTempSubdirectory("ramp-under-limit-");
        try
        {
            var options = RampOptions.Default with { Runs = 1, OutputDirectory = output.FullName, UseGcHeapHardLimit = useGcHeapHardLimit };

            var outcomes = await RampProof.RunAsync(options, TextWriter.Null);

            for (var i = 0; i < RampProof.Guards.Count; i++)
            {
                if (RampProof.Guards[i].Condition.StartsWith("HeapRelative", StringComparison.Ordinal))
                {
                    Assert.Equal([ChildOutcome.Survived], outcomes[i]);
                }
            }

            Assert.Contains("| `HeapRelative < 20%` | portable | 1 of 1 |", await File.ReadAllTextAsync(Path.Combine(output.FullName, RampProof.TableFileName)), StringComparison.Ordinal);
            Assert.Empty(CacheUnderLimitTests.LeftoverCgroups());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task At_0_8_GB_per_s_a_guarded_child_survives_with_and_without_the_v1_signals_where_its_control_dies()
    {
        var unavailable = ChildMemoryLimit.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var output = Directory.CreateTempSubdirectory("ramp-modes-");
        try
        {
            var modes = RampModes.Modes.Where(mode => mode.BytesPerSecond > 0).ToList();

            var results = await RampModes.RunAsync(1, output.FullName, TextWriter.Null, modes);

            Assert.Equal(2, results.Count);
            Assert.All(results, result =>
            {
                Assert.Equal([ChildOutcome.Survived], result.Outcomes);
                Assert.NotEqual(ChildOutcome.Survived, result.Control);
                Assert.NotEmpty(result.Latencies);
            });
            Assert.Empty(CacheUnderLimitTests.LeftoverCgroups());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
