using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Parses a memory cgroup's <c>memory.stat</c>: lines of "name value", in bytes.
/// </summary>
/// <remarks>
/// <para>
/// The inactive file cache is what the kernel reclaims first, before any OOM kill, and what the
/// kubelet, the GC and ResourceMonitoring subtract from the usage to get the working set: v2
/// <c>inactive_file</c>, v1 <c>total_inactive_file</c> (the cgroup and its children, as v1's usage
/// counts them).
/// </para>
/// <para>
/// v1 also gives <c>hierarchical_memory_limit</c>, the tightest limit of the cgroup and its
/// ancestors (with <c>memory.use_hierarchy</c>, on by default and the only choice on recent
/// kernels); v2 has no such line, and the ancestors' <c>memory.max</c> files are read instead.
/// </para>
/// </remarks>
internal static class CgroupMemoryStat
{
    /// <summary>Reads the inactive file cache and, for v1, the hierarchical limit (0: none).</summary>
    /// <returns><see langword="false"/> when a figure the version has is missing or garbled.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, int version, out long inactiveFileBytes, out long hierarchicalLimitBytes)
    {
        var inactiveName = version == 2 ? "inactive_file"u8 : "total_inactive_file"u8;
        long inactive = -1, limit = version == 2 ? 0 : -1;
        while (!text.IsEmpty && (inactive < 0 || limit < 0))
        {
            var line = KernelText.NextLine(ref text);
            var name = KernelText.NextWord(ref line);
            if (name.SequenceEqual(inactiveName))
            {
                inactive = KernelText.TryParseNonNegative(line, out var value) ? value : -2;
            }
            else if (version == 1 && name.SequenceEqual("hierarchical_memory_limit"u8))
            {
                limit = CgroupValue.TryParseLimit(line, out var value) ? value : -2;
            }
        }

        inactiveFileBytes = Math.Max(inactive, 0);
        hierarchicalLimitBytes = Math.Max(limit, 0);
        return inactive >= 0 && limit >= 0;
    }
}
