using System.Text;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

public class KernelFileParserTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Fixture(string name, string path) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", name, path));

    [Fact]
    public void Statm_gives_the_second_field_as_resident_pages()
    {
        Assert.True(ProcStatm.TryParseResidentPages(Bytes("765 432 403 5 0 123 0\n"), out var pages));
        Assert.Equal(432, pages);
    }

    [Theory]
    [InlineData("")]
    [InlineData("765\n")]
    [InlineData("765 abc 403 5 0 123 0\n")]
    [InlineData("765 -432 403 5 0 123 0\n")]
    [InlineData("\0\0\0\0")]
    public void Statm_garbage_is_refused(string text) =>
        Assert.False(ProcStatm.TryParseResidentPages(Bytes(text), out _));

    [Fact]
    public void Meminfo_captured_gives_total_and_available_in_bytes()
    {
        Assert.True(MemInfo.TryParse(Fixture("v1-unlimited", "proc/meminfo"), out var total, out var available));
        Assert.Equal(24683620L * 1024, total);
        Assert.Equal(24318628L * 1024, available);
    }

    [Fact]
    public void Meminfo_without_MemAvailable_counts_free_buffers_and_cached()
    {
        var text = "MemTotal:       1000 kB\nMemFree:         100 kB\nBuffers:          20 kB\nCached:           30 kB\nSwapCached:        0 kB\n";
        Assert.True(MemInfo.TryParse(Bytes(text), out var total, out var available));
        Assert.Equal(1000 * 1024, total);
        Assert.Equal(150 * 1024, available);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MemTotal: 1000 kB\n")]
    [InlineData("MemAvailable: 1000 kB\n")]
    [InlineData("MemTotal: lots kB\nMemAvailable: 10 kB\n")]
    [InlineData("garbage\n\n:::\n")]
    public void Meminfo_without_the_figures_is_refused(string text) =>
        Assert.False(MemInfo.TryParse(Bytes(text), out _, out _));

    [Fact]
    public void Cgroup_membership_on_a_hybrid_system_has_both_paths()
    {
        var membership = CgroupMembership.Parse(Fixture("v1-unlimited", "proc/self/cgroup"));
        Assert.Equal("/process_api/af48a24dc16eac29eaa9ea0ccf1eea2b", membership.V1MemoryPath);
        Assert.Equal("/", membership.V2Path);
    }

    [Fact]
    public void Cgroup_membership_finds_memory_among_comounted_controllers()
    {
        var membership = CgroupMembership.Parse(Bytes("11:cpu,cpuacct:/a\n7:memory,hugetlb:/kubepods/burstable/pod1/c1\n"));
        Assert.Equal("/kubepods/burstable/pod1/c1", membership.V1MemoryPath);
        Assert.Null(membership.V2Path);
    }

    [Fact]
    public void Cgroup_membership_keeps_spaces_in_names()
    {
        var membership = CgroupMembership.Parse(Fixture("v2-host-max", "proc/self/cgroup"));
        Assert.Null(membership.V1MemoryPath);
        Assert.Equal("/user.slice/user-1000.slice/session 2.scope", membership.V2Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("4:memory:relative/path\n")]
    [InlineData("4:memorysomething:/x\n")]
    public void Cgroup_membership_garbage_gives_no_paths(string text)
    {
        var membership = CgroupMembership.Parse(Bytes(text));
        Assert.Null(membership.V1MemoryPath);
        Assert.Null(membership.V2Path);
    }

    [Fact]
    public void Mountinfo_captured_finds_the_v1_memory_and_v2_mounts()
    {
        var mounts = CgroupMounts.Parse(Fixture("v1-unlimited", "proc/self/mountinfo"));
        Assert.Equal(new CgroupMount("/", "/sys/fs/cgroup/memory"), mounts.V1Memory);
        Assert.Equal(new CgroupMount("/", "/sys/fs/cgroup/unified"), mounts.V2);
    }

    [Fact]
    public void Mountinfo_unescapes_octal_in_paths()
    {
        var mounts = CgroupMounts.Parse(Bytes("40 30 0:37 /my\\040root /mnt/cg\\134v2 rw - cgroup2 cgroup2 rw\n"));
        Assert.Equal(new CgroupMount("/my root", "/mnt/cg\\v2"), mounts.V2);
        Assert.Null(mounts.V1Memory);
    }

    [Fact]
    public void Mountinfo_skips_lines_without_the_separator_and_other_file_systems()
    {
        var mounts = CgroupMounts.Parse(Bytes("broken line\n31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"));
        Assert.Null(mounts.V1Memory);
        Assert.Null(mounts.V2);
    }

    [Theory]
    [InlineData("/", "/sys/fs/cgroup", "/", "/sys/fs/cgroup")]
    [InlineData("/", "/sys/fs/cgroup/memory", "/a/b", "/sys/fs/cgroup/memory/a/b")]
    [InlineData("/kubepods/pod1", "/sys/fs/cgroup/memory", "/kubepods/pod1/c1", "/sys/fs/cgroup/memory/c1")]
    [InlineData("/kubepods/pod1", "/sys/fs/cgroup/memory", "/kubepods/pod1", "/sys/fs/cgroup/memory")]
    [InlineData("/kubepods/pod1", "/sys/fs/cgroup/memory", "/kubepods/pod10", null)]
    [InlineData("/kubepods/pod1", "/sys/fs/cgroup/memory", "/other", null)]
    public void A_mount_maps_cgroup_paths_under_its_root_only(string root, string mountPoint, string path, string? expected) =>
        Assert.Equal(expected, new CgroupMount(root, mountPoint).DirectoryOf(path));

    [Theory]
    [InlineData("max\n", 0)]
    [InlineData("9223372036854771712\n", 0)]
    [InlineData("9223372036854710272\n", 0)]
    [InlineData("268435456\n", 268435456)]
    [InlineData("0\n", 0)]
    public void Cgroup_limits_read_max_and_the_v1_sentinel_as_no_limit(string text, long expected)
    {
        Assert.True(CgroupValue.TryParseLimit(Bytes(text), out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("maximum\n")]
    [InlineData("-1\n")]
    [InlineData("12 34\n")]
    [InlineData("99999999999999999999999\n")]
    public void Cgroup_values_refuse_garbage(string text)
    {
        Assert.False(CgroupValue.TryParseLimit(Bytes(text), out _));
        Assert.False(CgroupValue.TryParseUsage(Bytes(text), out _));
    }
}
