using System.Globalization;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// A probe for another process's v1 memory cgroup, as a monitor sees it: the cgroup's usage stands
/// for the resident set and its limit for the process limit, so the local conditions judge the cgroup.
/// </summary>
internal sealed class CgroupUsageProbe(string directory) : IMemoryProbe
{
    public MemorySample Read()
    {
        var usage = long.Parse(File.ReadAllText(Path.Combine(directory, "memory.usage_in_bytes")), CultureInfo.InvariantCulture);
        var limit = long.Parse(File.ReadAllText(Path.Combine(directory, "memory.limit_in_bytes")), CultureInfo.InvariantCulture);
        return new MemorySample
        {
            ProcessResidentBytes = usage,
            CgroupUsageBytes = usage,
            ProcessLimitBytes = limit,
            CgroupLimitBytes = limit,
            ProcessLimitSource = MemoryLimitSource.Cgroup,
        };
    }
}
