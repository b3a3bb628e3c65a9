namespace MemoryPressure.Reactive.Tests.Probes.Linux;

/// <summary>The real probe against the kernel's own files and the GC on the machine running the tests.</summary>
/// <remarks>
/// Every figure moves while the test runs: other processes allocate (MemAvailable, the cgroup's
/// usage), this one touches pages and collects (resident, heap). So each figure the probe reads is
/// bracketed by the same figure read from the source just before and just after it, and must lie
/// between the two. A moving figure can leave the bracket (it rose and fell back between the reads),
/// so a read is tried again up to <see cref="Attempts"/> times; a probe that reads the wrong field,
/// unit or file is outside the bracket every time.
/// </remarks>
public class LinuxMemoryProbeOnThisMachineTests
{
    private const int Attempts = 50;

    [SkippableFact]
    public void Figures_agree_with_the_kernel_files_and_the_GC()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads Linux kernel files");
        using var probe = new LinuxMemoryProbe();

        var (sample, misses) = ReadBracketed(
            probe,
            () => [ReadStatmResidentBytes(), ReadMemInfo("MemAvailable"), GC.GetTotalMemory(forceFullCollection: false)],
            s => [s.ProcessResidentBytes, s.SystemAvailableBytes, s.ManagedHeapBytes]);

        Assert.True(misses.Length == 0, $"outside the kernel's and the GC's own figures read around the probe on each of {Attempts} tries: {string.Join("; ", misses)}");
        Assert.Equal(ReadMemInfo("MemTotal"), sample.SystemTotalBytes);
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
        probe.Read();
        Assert.Equal(1, probe.CgroupVersion);
        Assert.EndsWith(memoryLine!.Split(':')[2].TrimEnd('/'), probe.CgroupDirectory, StringComparison.Ordinal);
        var usagePath = Path.Combine(probe.CgroupDirectory!, "memory.usage_in_bytes");

        var (_, misses) = ReadBracketed(probe, () => [long.Parse(File.ReadAllText(usagePath))], s => [s.CgroupUsageBytes]);

        Assert.True(misses.Length == 0, $"outside memory.usage_in_bytes read around the probe on each of {Attempts} tries: {string.Join("; ", misses)}");
    }

    /// <summary>Reads the probe between two reads of the sources until every figure lies in its bracket.</summary>
    /// <returns>The last sample, and the figures outside their brackets at the last try (none on success).</returns>
    private static (MemorySample Sample, string[] Misses) ReadBracketed(LinuxMemoryProbe probe, Func<long[]> sources, Func<MemorySample, long[]> figures)
    {
        MemorySample sample = default;
        string[] misses = [];
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var before = sources();
            sample = probe.Read();
            var after = sources();
            var read = figures(sample);
            misses = read
                .Select((value, i) => (value, low: Math.Min(before[i], after[i]), high: Math.Max(before[i], after[i]), i))
                .Where(f => f.value < f.low || f.value > f.high)
                .Select(f => $"figure {f.i}: {f.value:N0} not in [{f.low:N0}, {f.high:N0}]")
                .ToArray();
            if (misses.Length == 0)
            {
                break;
            }
        }

        return (sample, misses);
    }

    private static long ReadStatmResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1]) * Environment.SystemPageSize;

    private static long ReadMemInfo(string field) =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0]) * 1024;
}
