using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// The process's own cgroup changing under a running probe: its limit changed, the process moved
/// to another cgroup, that cgroup removed. (Unreadable or garbage /proc files are covered, on
/// every machine, by <see cref="Probes.Linux.LinuxMemoryProbeTests"/> through the fake file system.)
/// </summary>
[Collection(SerialTests.Name)]
[Trait("Category", "Reliability")]
public class KernelFaultTests
{
    [SkippableFact]
    public void The_limit_in_the_samples_follows_the_cgroup_limit_a_move_and_a_removal()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var probe = new LinuxMemoryProbe();
        var before = probe.Read();
        var cgroup = TemporaryMemoryCgroup.Create(8 * MemoryUnits.GB);
        try
        {
            cgroup.MoveIn();
            var inside = probe.Read();
            Assert.Equal(cgroup.Directory, probe.CgroupDirectory);
            Assert.Equal((8 * MemoryUnits.GB, MemoryLimitSource.Cgroup), (inside.ProcessLimitBytes, inside.ProcessLimitSource));

            cgroup.Write("memory.limit_in_bytes", 6 * MemoryUnits.GB);
            Assert.Equal(6 * MemoryUnits.GB, probe.Read().ProcessLimitBytes);

            TemporaryMemoryCgroup.MoveOut(Environment.ProcessId);
            cgroup.Dispose();
            var after = probe.Read();

            Assert.False(Directory.Exists(cgroup.Directory));
            Assert.NotEqual(cgroup.Directory, probe.CgroupDirectory);
            Assert.Equal((before.ProcessLimitBytes, before.ProcessLimitSource), (after.ProcessLimitBytes, after.ProcessLimitSource));
            Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        }
        finally
        {
            cgroup.Dispose();
        }
    }

    [SkippableFact]
    public void A_cgroup_removed_while_its_files_are_open_is_reported_not_thrown()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var cgroup = TemporaryMemoryCgroup.Create(512 * MemoryUnits.MB);
        using var files = new MemoryPressure.Reactive.Probes.Linux.KernelFiles();
        var usage = Path.Combine(cgroup.Directory, "memory.usage_in_bytes");
        var buffer = new byte[64];
        Assert.True(files.Read(usage, buffer) > 0);

        cgroup.Dispose();

        Assert.Equal(-1, files.Read(usage, buffer));
    }
}
