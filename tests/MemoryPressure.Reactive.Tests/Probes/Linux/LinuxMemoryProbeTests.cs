using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

public class LinuxMemoryProbeTests
{
    private const string V1Group = "/sys/fs/cgroup/memory/process_api/af48a24dc16eac29eaa9ea0ccf1eea2b";
    private static readonly long PageSize = Environment.SystemPageSize;

    [Fact]
    public void Hybrid_v1_unlimited_reads_the_v1_cgroup_and_falls_to_physical_memory()
    {
        var files = FakeKernelFiles.FromFixture("v1-unlimited");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(441 * PageSize, sample.ProcessResidentBytes);
        Assert.Equal(24683620L * 1024, sample.SystemTotalBytes);
        Assert.Equal(24318628L * 1024, sample.SystemAvailableBytes);
        Assert.Equal(long.Parse(files.Text(V1Group + "/memory.usage_in_bytes")), sample.CgroupUsageBytes);
        Assert.Equal(0, sample.CgroupLimitBytes);
        Assert.Equal(1, probe.CgroupVersion);
        Assert.Equal(V1Group, probe.CgroupDirectory);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        Assert.Equal(ExpectedWithoutCgroupLimit(sample), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
    }

    [Fact]
    public void V1_limit_becomes_the_process_limit()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v1-limited"), 0);

        var sample = probe.Read();

        Assert.Equal(268435456, sample.CgroupLimitBytes);
        Assert.Equal(970752, sample.CgroupUsageBytes);
        Assert.Equal(268435456, sample.ProcessLimitBytes);
        Assert.Equal(MemoryLimitSource.Cgroup, sample.ProcessLimitSource);
        Assert.Equal("/sys/fs/cgroup/memory/mpr-fixture", probe.CgroupDirectory);
    }

    [Fact]
    public void V2_container_reads_memory_max_and_current_at_the_namespace_root()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-container"), 0);

        var sample = probe.Read();

        Assert.Equal(2, probe.CgroupVersion);
        Assert.Equal("/sys/fs/cgroup", probe.CgroupDirectory);
        Assert.Equal(536870912, sample.CgroupLimitBytes);
        Assert.Equal(188743680, sample.CgroupUsageBytes);
        Assert.Equal((536870912L, MemoryLimitSource.Cgroup), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
    }

    [Fact]
    public void V2_max_means_no_cgroup_limit()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-host-max"), 0);

        var sample = probe.Read();

        Assert.Equal("/sys/fs/cgroup/user.slice/user-1000.slice/session 2.scope", probe.CgroupDirectory);
        Assert.Equal(0, sample.CgroupLimitBytes);
        Assert.Equal(4096000, sample.CgroupUsageBytes);
        Assert.Equal(ExpectedWithoutCgroupLimit(sample), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
    }

    [Fact]
    public void An_explicit_limit_wins_over_the_cgroup()
    {
        using var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-container"), 100_000_000);

        var sample = probe.Read();

        Assert.Equal((100_000_000L, MemoryLimitSource.Explicit), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal(536870912, sample.CgroupLimitBytes);
    }

    [Fact]
    public void A_cgroup_limit_above_physical_memory_binds_nothing()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Set("/sys/fs/cgroup/memory.max", $"{24683620L * 1024 * 2}\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(24683620L * 1024 * 2, sample.CgroupLimitBytes);
        Assert.Equal(ExpectedWithoutCgroupLimit(sample), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
    }

    [Fact]
    public void A_v2_cgroup_without_memory_files_is_no_memory_cgroup()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Remove("/sys/fs/cgroup/memory.current");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(0, probe.CgroupVersion);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        Assert.Equal(0, sample.CgroupLimitBytes);
    }

    [Fact]
    public void Unreadable_statm_falls_back_to_the_runtime_and_says_so()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Remove("/proc/self/statm");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(MemoryProbeFallbacks.ResidentFromRuntime, probe.Fallbacks);
        Assert.InRange(sample.ProcessResidentBytes, 1, long.MaxValue);
    }

    [Fact]
    public void Garbage_meminfo_falls_back_to_the_runtime_and_says_so()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Set("/proc/meminfo", "\0\0garbage: x\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(MemoryProbeFallbacks.SystemFromRuntime, probe.Fallbacks);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, sample.SystemTotalBytes);
        Assert.InRange(sample.SystemAvailableBytes, 0, sample.SystemTotalBytes);
    }

    [Fact]
    public void Garbage_cgroup_limit_is_reported_as_an_unreadable_cgroup()
    {
        var files = FakeKernelFiles.FromFixture("v1-limited");
        files.Set("/sys/fs/cgroup/memory/mpr-fixture/memory.limit_in_bytes", "lots\n");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(MemoryProbeFallbacks.CgroupUnreadable, probe.Fallbacks);
        Assert.Equal(0, sample.CgroupLimitBytes);
        Assert.NotEqual(MemoryLimitSource.Cgroup, sample.ProcessLimitSource);
    }

    [Fact]
    public void A_cgroup_whose_files_disappear_between_reads_gives_no_cgroup_figures_and_says_so()
    {
        var files = FakeKernelFiles.FromFixture("v1-limited");
        using var probe = new LinuxMemoryProbe(files, 0);
        Assert.Equal(MemoryLimitSource.Cgroup, probe.Read().ProcessLimitSource);

        files.RemoveUnder("/sys/fs/cgroup/memory/mpr-fixture");
        var sample = probe.Read();

        Assert.Equal(MemoryProbeFallbacks.CgroupUnreadable, probe.Fallbacks);
        Assert.Equal(0, sample.CgroupUsageBytes);
        Assert.Equal(ExpectedWithoutCgroupLimit(sample), (sample.ProcessLimitBytes, sample.ProcessLimitSource));
        Assert.Equal("/sys/fs/cgroup/memory/mpr-fixture", probe.CgroupDirectory);

        files.Set("/sys/fs/cgroup/memory/mpr-fixture/memory.usage_in_bytes", "1\n");
        files.Set("/sys/fs/cgroup/memory/mpr-fixture/memory.limit_in_bytes", "268435456\n");
        files.Set("/sys/fs/cgroup/memory/mpr-fixture/memory.stat", "hierarchical_memory_limit 268435456\ntotal_inactive_file 0\n");
        Assert.Equal(MemoryLimitSource.Cgroup, probe.Read().ProcessLimitSource);
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
    }

    [Fact]
    public void A_process_moved_to_another_cgroup_is_followed_at_the_next_read()
    {
        var files = FakeKernelFiles.FromFixture("v1-limited");
        using var probe = new LinuxMemoryProbe(files, 0);
        probe.Read();

        files.Set("/proc/self/cgroup", "4:memory:/moved\n0::/\n");
        files.Set("/sys/fs/cgroup/memory/moved/memory.usage_in_bytes", "5000\n");
        files.Set("/sys/fs/cgroup/memory/moved/memory.limit_in_bytes", "100000000\n");
        var sample = probe.Read();

        Assert.Equal("/sys/fs/cgroup/memory/moved", probe.CgroupDirectory);
        Assert.Equal(100000000, sample.ProcessLimitBytes);
        Assert.Equal(5000, sample.CgroupUsageBytes);
    }

    [Fact]
    public void A_changed_limit_is_followed_at_the_next_read()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        using var probe = new LinuxMemoryProbe(files, 0);
        Assert.Equal(536870912, probe.Read().ProcessLimitBytes);

        files.Set("/sys/fs/cgroup/memory.max", "268435456\n");

        Assert.Equal(268435456, probe.Read().ProcessLimitBytes);
    }

    [Fact]
    public void Steady_reads_find_the_cgroup_once_and_reread_only_the_small_files()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        using var probe = new LinuxMemoryProbe(files, 0);

        for (var i = 0; i < 5; i++)
        {
            probe.Read();
        }

        Assert.Equal(1, files.Reads["/proc/self/mountinfo"]);
        Assert.Equal(5, files.Reads["/proc/self/cgroup"]);
        Assert.Equal(5, files.Reads["/proc/meminfo"]);
    }

    [Fact]
    public void No_cgroup_at_all_is_not_a_fallback()
    {
        var files = FakeKernelFiles.FromFixture("v2-container");
        files.Remove("/proc/self/cgroup");
        using var probe = new LinuxMemoryProbe(files, 0);

        var sample = probe.Read();

        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        Assert.Equal(0, probe.CgroupVersion);
        Assert.Equal(0, sample.CgroupUsageBytes);
    }

    [Fact]
    public void A_disposed_probe_refuses_to_read()
    {
        var probe = new LinuxMemoryProbe(FakeKernelFiles.FromFixture("v2-container"), 0);
        probe.Dispose();

        Assert.Throws<ObjectDisposedException>(() => probe.Read());
    }

    [Fact]
    public void A_negative_explicit_limit_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LinuxMemoryProbe(-1));
        Assert.Equal("processLimitBytes", e.ParamName);
    }

    /// <summary>Without a binding cgroup limit, the probe falls to the GC hard limit, then physical memory.</summary>
    private static (long, MemoryLimitSource) ExpectedWithoutCgroupLimit(MemorySample sample) =>
        sample.GcHeapHardLimitBytes > 0
            ? (sample.GcHeapHardLimitBytes, MemoryLimitSource.GcHeapHardLimit)
            : (sample.SystemTotalBytes, MemoryLimitSource.PhysicalMemory);
}
