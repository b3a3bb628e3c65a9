using CacheUnderLimit.Cost;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>The cost proof in one short round: the bare and protected services under wrk, in both settings.</summary>
[Collection(SerialTests.Name)]
public class CostProofTests
{
    [SkippableFact]
    public async Task One_short_round_measures_every_configuration_and_only_the_protected_ones_run_the_library()
    {
        var unavailable = CostProof.WhyUnavailable() ?? global::CacheUnderLimit.Proof.ChildMemoryLimit.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var output = Directory.CreateTempSubdirectory("cost-proof-test-");
        try
        {
            var rows = await CostProof.RunAsync(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), output.FullName, TextWriter.Null);

            Assert.Equal(6, rows.Count);
            Assert.All(rows, row => Assert.True(row.RequestsPerSecond > 0, $"{row.Setting}, {row.Configuration}: no request answered"));
            Assert.All(rows, row => Assert.Equal(0, row.LevelsEntered));
            Assert.All(rows.Where(row => row.Configuration == "bare"), row => Assert.Equal(0, row.LibraryCpuMillisecondsPerSecond));
            Assert.All(rows.Where(row => row.Configuration != "bare"), row => Assert.True(row.LibraryCpuMillisecondsPerSecond > 0, $"{row.Setting}, {row.Configuration}: the library's threads never ran"));
            var table = await File.ReadAllTextAsync(Path.Combine(output.FullName, CostProof.TableFileName));
            Assert.Equal(6, table.Split('\n').Count(line => line.StartsWith("| at rest", StringComparison.Ordinal) || line.StartsWith("| under churn", StringComparison.Ordinal)));
            Assert.Empty(CacheUnderLimitTests.LeftoverCgroups());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
