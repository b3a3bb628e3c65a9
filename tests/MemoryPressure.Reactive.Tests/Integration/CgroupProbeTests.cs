using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Integration;

/// <summary>The probe in a child process placed in a real memory cgroup with a limit.</summary>
[Collection(SerialTests.Name)]
public class CgroupProbeTests
{
    [SkippableFact]
    public void A_child_in_a_limited_v1_memory_cgroup_reads_the_limit_as_its_process_limit()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        const long limit = 256L << 20;
        using var cgroup = TemporaryMemoryCgroup.Create(limit);

        using var child = cgroup.Start(TestChild.DotnetHost, TestChild.Assembly, "probe");
        var sample = TestChild.ParseSample(TestChild.WaitForOutput(child, TimeSpan.FromSeconds(60)));

        Assert.Equal(limit, sample.Long("ProcessLimitBytes"));
        Assert.Equal(nameof(MemoryLimitSource.Cgroup), sample["ProcessLimitSource"]);
        Assert.Equal(limit, sample.Long("CgroupLimitBytes"));
        Assert.InRange(sample.Long("CgroupUsageBytes"), 1, limit);
        Assert.InRange(sample.Long("ProcessResidentBytes"), 1, limit);

        // The runtime sees the same container limit and caps its heap below it (75% by default).
        Assert.InRange(sample.Long("GcHeapHardLimitBytes"), 1, limit);
    }
}
