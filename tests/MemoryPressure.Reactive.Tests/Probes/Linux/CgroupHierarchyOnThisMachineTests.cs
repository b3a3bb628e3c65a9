using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

/// <summary>
/// The probe of a child process in real v1 memory cgroups made for the test: a limit set on a parent,
/// and page cache charged to the cgroup. Needs root and the v1 memory controller; leaves nothing behind.
/// </summary>
[Collection(SerialTests.Name)]
public class CgroupHierarchyOnThisMachineTests
{
    private const long MiB = 1 << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public void A_limit_on_the_parent_binds_a_process_in_an_unlimited_child_as_the_GC_itself_finds()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var parent = TemporaryMemoryCgroup.Create(512 * MiB);
        var child = parent.CreateChild();
        Assert.Equal(1, parent.Read("memory.use_hierarchy"));

        using var probe = child.Start(TestChild.DotnetHost, TestChild.Assembly, "probe");
        var sample = TestChild.ParseSample(TestChild.WaitForOutput(probe, Bound));

        Assert.Equal(512 * MiB, sample.Long("CgroupLimitBytes"));
        Assert.Equal(512 * MiB, sample.Long("ProcessLimitBytes"));
        Assert.Equal(nameof(MemoryLimitSource.Cgroup), sample["ProcessLimitSource"]);

        // The runtime reads the hierarchy's limit too: its heap cap is 75% of the parent's limit.
        Assert.Equal(384 * MiB, sample.Long("GcHeapHardLimitBytes"));
    }

    [SkippableFact]
    public void Page_cache_read_inside_the_limit_counts_in_the_usage_but_not_in_the_working_set()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var file = Path.Combine(Path.GetTempPath(), $"mpr-page-cache-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var cgroup = TemporaryMemoryCgroup.Create(512 * MiB);

            // Write and read 300 MiB inside the cgroup: the pages stay charged to it after the writer exits.
            using var probe = cgroup.Start(
                "/bin/sh",
                "-c",
                $"head -c {300 * MiB} /dev/zero > '{file}' && cat '{file}' > /dev/null && exec \"$0\" \"$@\"",
                TestChild.DotnetHost,
                TestChild.Assembly,
                "probe");
            var sample = TestChild.ParseSample(TestChild.WaitForOutput(probe, Bound));

            var usage = sample.Long("CgroupUsageBytes");
            var workingSet = sample.Long("CgroupWorkingSetBytes");
            Assert.True(usage > 280 * MiB, $"usage {usage / MiB} MiB: the file's pages are not charged to the cgroup");
            Assert.True(usage - workingSet > 250 * MiB, $"usage {usage / MiB} MiB, working set {workingSet / MiB} MiB: the cache was not left out");
            Assert.True(workingSet < 150 * MiB, $"working set {workingSet / MiB} MiB for a process that holds no file");
            Assert.Contains("Limit = GcHeapHardLimit", sample["BindingLimit"], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
