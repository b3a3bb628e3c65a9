using System.Diagnostics;

namespace MemoryPressure.Reactive.Tests.Probes.Linux;

/// <summary>The real probe against the kernel's own files and the GC on the machine running the tests.</summary>
public class LinuxMemoryProbeOnThisMachineTests
{
    [SkippableFact]
    public void Figures_agree_with_the_kernel_files_and_the_GC()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads Linux kernel files");
        using var probe = new LinuxMemoryProbe();

        var before = ReadStatmResidentBytes();
        var sample = probe.Read();
        var after = ReadStatmResidentBytes();
        var meminfo = File.ReadAllLines("/proc/meminfo").ToDictionary(l => l.Split(':')[0], l => long.Parse(l.Split(':')[1].Trim().Split(' ')[0]) * 1024);

        // Resident memory moves between the reads; 8 MiB covers what a test process touches meanwhile.
        const long tolerance = 8L << 20;
        Assert.InRange(sample.ProcessResidentBytes, Math.Min(before, after) - tolerance, Math.Max(before, after) + tolerance);
        Assert.Equal(meminfo["MemTotal"], sample.SystemTotalBytes);
        Assert.InRange(sample.SystemAvailableBytes, meminfo["MemAvailable"] - (64L << 20), meminfo["MemAvailable"] + (64L << 20));
        Assert.InRange(sample.ManagedHeapBytes, 1, GC.GetGCMemoryInfo().TotalCommittedBytes + (64L << 20));
        Assert.Equal(MemoryProbeFallbacks.None, probe.Fallbacks);
        Assert.InRange(sample.ProcessLimitBytes, 1, sample.SystemTotalBytes);
    }

    [SkippableFact]
    public void The_cgroup_found_is_the_one_the_kernel_names_for_this_process()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads Linux kernel files");
        var memoryLine = File.ReadAllLines("/proc/self/cgroup").FirstOrDefault(l => l.Split(':')[1].Split(',').Contains("memory"));
        Skip.If(memoryLine is null, "this process is in no v1 memory cgroup");
        using var probe = new LinuxMemoryProbe();

        var sample = probe.Read();

        Assert.Equal(1, probe.CgroupVersion);
        Assert.EndsWith(memoryLine!.Split(':')[2].TrimEnd('/'), probe.CgroupDirectory, StringComparison.Ordinal);
        var usage = long.Parse(File.ReadAllText(Path.Combine(probe.CgroupDirectory!, "memory.usage_in_bytes")));
        Assert.InRange(sample.CgroupUsageBytes, usage - (64L << 20), usage + (64L << 20));
    }

    private static long ReadStatmResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1]) * Environment.SystemPageSize;
}
