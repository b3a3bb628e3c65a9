using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

/// <summary>Where the kernel sources look, from captured <c>/proc/self/cgroup</c> and mountinfo files.</summary>
public class CgroupLocationTests
{
    private static CgroupLocation Fixture(string name)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "fixtures", name, "proc", "self");
        return CgroupLocation.Parse(File.ReadAllBytes(Path.Combine(root, "cgroup")), File.ReadAllBytes(Path.Combine(root, "mountinfo")));
    }

    [Fact]
    public void A_hybrid_host_gives_the_v1_memory_directory_and_the_unified_root()
    {
        var location = Fixture("v1-unlimited");

        Assert.Equal("/sys/fs/cgroup/memory/process_api/af48a24dc16eac29eaa9ea0ccf1eea2b", location.V1MemoryDirectory);
        Assert.Equal("/sys/fs/cgroup/unified", location.V2Directory);
        Assert.Equal("/sys/fs/cgroup/unified/memory.pressure", location.V2PressurePath);
    }

    [Fact]
    public void A_v2_host_gives_the_unified_directory_and_no_v1_directory()
    {
        var location = Fixture("v2-host-max");

        Assert.Null(location.V1MemoryDirectory);
        Assert.Equal("/sys/fs/cgroup/user.slice/user-1000.slice/session 2.scope/memory.pressure", location.V2PressurePath);
    }

    [Fact]
    public void Without_cgroup_mounts_there_is_no_directory()
    {
        var location = CgroupLocation.Parse("4:memory:/a\n0::/b\n"u8, "22 1 8:1 / / rw - ext4 /dev/vda rw\n"u8);

        Assert.Equal(new CgroupLocation(null, null), location);
        Assert.Null(location.V2PressurePath);
    }

    [SkippableFact]
    public void This_process_is_found_as_proc_self_cgroup_names_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "cgroups are Linux only");

        Assert.Equal(CgroupLocation.Parse(File.ReadAllBytes("/proc/self/cgroup"), File.ReadAllBytes("/proc/self/mountinfo")), CgroupLocation.Of(Environment.ProcessId));
        Assert.Equal(CgroupLocation.Of(Environment.ProcessId), CgroupLocation.Of(0));
    }
}
