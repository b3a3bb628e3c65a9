using MemoryPressure.Reactive.Probes.Linux;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

/// <summary>
/// What the probe reads beyond the cgroup's own two files: the limits of its ancestors and the
/// working set, from nested v1 and v2 hierarchies in the kernel's format.
/// </summary>
public class CgroupHierarchyProbeTests
{
    private const string V1Child = "/sys/fs/cgroup/memory/mpr-fixture-parent/child";
    private const string Pod = "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7c1d.slice";
    private const string Container = Pod + "/cri-containerd-4f2a.scope";

    [Fact]
    public void V1_a_parent_limit_binds_an_unlimited_child_through_the_hierarchical_limit()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v1-nested"), 0);

        var sample = probe.Read();

        Assert.Equal(V1Child, probe.CgroupDirectory);
        Assert.Equal(536870912, sample.CgroupLimitBytes);
        Assert.Equal((536870912L, MemoryLimitSource.Cgroup), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
    }

    [Fact]
    public void V1_the_working_set_leaves_out_the_inactive_file_cache_of_the_subtree()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v1-nested"), 0);

        var sample = probe.Read();

        // Captured after a 100 MB file was written and read inside the cgroup: almost all of the usage is cache.
        Assert.Equal(103890944, sample.CgroupUsageBytes);
        Assert.Equal(103890944 - 100089856, sample.CgroupWorkingSetBytes);
    }

    [Fact]
    public void V1_the_own_limit_wins_when_it_is_tighter_than_the_hierarchy_says()
    {
        var files = FakeKernelFiles.FromFixture("v1-nested");
        files.Set(V1Child + "/memory.limit_in_bytes", "268435456\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        Assert.Equal(268435456, probe.Read().CgroupLimitBytes);
    }

    [Fact]
    public void V2_the_tightest_memory_max_up_the_tree_binds()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-nested"), 0);

        var sample = probe.Read();

        // The container says max, the pod 512 MiB, kubepods.slice 24 GB; the host's root has no memory.max.
        Assert.Equal(Container, probe.CgroupDirectory);
        Assert.Equal(536870912, sample.CgroupLimitBytes);
        Assert.Equal((536870912L, MemoryLimitSource.Cgroup), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal(209715200 - 52428800, sample.CgroupWorkingSetBytes);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
    }

    [Fact]
    public void V2_a_limit_set_later_on_an_ancestor_is_followed_at_the_next_read()
    {
        var files = FakeKernelFiles.FromFixture("v2-nested");
        using var probe = new LinuxMemoryProbe(files, 0);
        probe.Read();

        files.Set("/sys/fs/cgroup/kubepods.slice/memory.max", "300000000\n");

        Assert.Equal(300000000, probe.Read().CgroupLimitBytes);
    }

    [Fact]
    public void V2_a_container_at_its_namespace_root_reads_its_own_files_only()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(188743680 - 62914560, sample.CgroupWorkingSetBytes);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        Assert.All(files.Reads.Keys.Where(path => path.StartsWith("/sys/", StringComparison.Ordinal)), path => Assert.StartsWith("/sys/fs/cgroup/", path, StringComparison.Ordinal));
    }

    [Fact]
    public void V2_an_unreadable_or_garbled_ancestor_limit_is_skipped_and_said()
    {
        var files = FakeKernelFiles.FromFixture("v2-nested");
        files.Set(Pod + "/memory.max", "lots\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(24000000000, sample.CgroupLimitBytes);
        Assert.Equal(MemoryProbeFallbacks.AncestorLimitUnreadable, probe.Fallbacks);

        files.Remove(Pod + "/memory.max");
        probe.Read();
        Assert.Equal(MemoryProbeFallbacks.AncestorLimitUnreadable, probe.Fallbacks);
    }

    [Fact]
    public void V2_memory_high_tighter_than_every_memory_max_becomes_the_process_limit()
    {
        var files = FakeKernelFiles.FromFixture("v2-nested");
        files.Set(Container + "/memory.high", "max\n");
        files.Set(Pod + "/memory.high", "402653184\n");
        files.Set("/sys/fs/cgroup/kubepods.slice/memory.high", "500000000\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(402653184, sample.CgroupHighBytes);
        Assert.Equal(536870912, sample.CgroupLimitBytes);
        Assert.Equal((402653184L, MemoryLimitSource.CgroupHigh), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal(MemoryLimitSource.CgroupHigh, sample.BindingLimit.Limit);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
    }

    [Fact]
    public void V2_memory_high_at_or_above_the_hard_limit_leaves_the_hard_limit_binding()
    {
        var files = FakeKernelFiles.FromFixture("v2-nested");
        files.Set(Container + "/memory.high", "600000000\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(600000000, sample.CgroupHighBytes);
        Assert.Equal((536870912L, MemoryLimitSource.Cgroup), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal(MemoryLimitSource.Cgroup, sample.BindingLimit.Limit);
    }

    [Fact]
    public void V2_memory_high_set_later_is_followed_at_the_next_read_and_its_absence_reads_as_none()
    {
        var files = FakeKernelFiles.FromFixture("v2-nested");
        using var probe = new LinuxMemoryProbe(files, 0);
        Assert.Equal(0, probe.Read().CgroupHighBytes);

        files.Set(Container + "/memory.high", "268435456\n");
        Assert.Equal(268435456, probe.Read().CgroupHighBytes);

        files.Set(Container + "/memory.high", "max\n");
        var sample = probe.Read();
        Assert.Equal(0, sample.CgroupHighBytes);
        Assert.Equal(MemoryLimitSource.Cgroup, sample.ProcessLimitSource);
    }

    [Fact]
    public void V1_has_no_memory_high()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v1-nested"), 0);

        Assert.Equal(0, probe.Read().CgroupHighBytes);
    }

    [Theory]
    [InlineData("v1-nested", V1Child + "/memory.stat", 0L)]
    [InlineData("v2-nested", Container + "/memory.stat", 536870912L)]
    public void An_unreadable_memory_stat_leaves_the_usage_as_the_working_set_and_says_so(string fixture, string stat, long limitLeft)
    {
        var files = FakeKernelFiles.FromFixture(fixture);
        files.Remove(stat);
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(sample.CgroupUsageBytes, sample.CgroupWorkingSetBytes);
        Assert.Equal(MemoryProbeFallbacks.CgroupStatUnreadable, probe.Fallbacks);
        Assert.Equal(limitLeft, sample.CgroupLimitBytes);

        files.Set(stat, "inactive_file x\ntotal_inactive_file -3\nhierarchical_memory_limit y\n");
        Assert.Equal(probe.Read().CgroupUsageBytes, probe.Read().CgroupWorkingSetBytes);
        Assert.Equal(MemoryProbeFallbacks.CgroupStatUnreadable, probe.Fallbacks);
    }

    [Fact]
    public void A_cache_larger_than_the_usage_gives_a_working_set_of_zero_not_a_negative_one()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Set("/sys/fs/cgroup/memory.current", "1000\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        Assert.Equal(0, probe.Read().CgroupWorkingSetBytes);
    }

    [Fact]
    public void A_steady_read_of_a_nested_cgroup_allocates_nothing()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-nested"), 0);
        probe.Read();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            probe.Read();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(2, "anon 1\ninactive_file 4096\nactive_file 5\n", 4096, 0)]
    [InlineData(1, "inactive_file 7\nhierarchical_memory_limit 536870912\ntotal_inactive_file 4096\n", 4096, 536870912)]
    [InlineData(1, "hierarchical_memory_limit 9223372036854771712\ntotal_inactive_file 0\n", 0, 0)]
    public void Memory_stat_gives_the_inactive_file_cache_and_the_v1_hierarchical_limit(int version, string text, long inactive, long limit)
    {
        Assert.True(CgroupMemoryStat.TryParse(System.Text.Encoding.ASCII.GetBytes(text), version, out var parsedInactive, out var parsedLimit));
        Assert.Equal((inactive, limit), (parsedInactive, parsedLimit));
    }

    [Theory]
    [InlineData(2, "anon 1\nactive_file 5\n")]
    [InlineData(1, "inactive_file 7\nhierarchical_memory_limit 536870912\n")]
    [InlineData(1, "total_inactive_file 7\n")]
    [InlineData(2, "inactive_file 12x\n")]
    [InlineData(2, "")]
    public void Memory_stat_without_the_figures_of_its_version_is_refused(int version, string text) =>
        Assert.False(CgroupMemoryStat.TryParse(System.Text.Encoding.ASCII.GetBytes(text), version, out _, out _));
}
