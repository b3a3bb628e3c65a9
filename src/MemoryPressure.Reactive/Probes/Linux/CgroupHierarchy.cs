using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Reads what a memory cgroup's own usage and limit files do not say: the working set (usage less the
/// inactive file cache of <c>memory.stat</c>), the tightest limit up the hierarchy (v1's
/// <c>hierarchical_memory_limit</c> in <c>memory.stat</c>, v2's ancestors' <c>memory.max</c>) and v2's
/// tightest <c>memory.high</c>.
/// </summary>
/// <remarks>Not thread-safe: the probe calls it under its lock. A steady read allocates nothing.</remarks>
/// <param name="files">The kernel files, shared with the probe.</param>
internal sealed class CgroupHierarchy(IKernelFiles files)
{
    private readonly byte[] _buffer = new byte[64];
    private byte[] _statText = new byte[4096];

    /// <summary>Reads the working set and tightens <paramref name="limit"/> with the hierarchy's limits.</summary>
    /// <param name="cgroup">The cgroup's files.</param>
    /// <param name="usage">The cgroup's usage, just read.</param>
    /// <param name="limit">The cgroup's own limit (0: none), tightened in place.</param>
    /// <param name="workingSet">The usage less the inactive file cache; the usage when <c>memory.stat</c> cannot be read.</param>
    /// <param name="high">The least <c>memory.high</c> of the cgroup and its ancestors; 0 for none, for v1, or where none can be read.</param>
    /// <returns>The fallbacks taken: a figure that could not be read leaves the usage as the working set, or the limit as it was.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MemoryProbeFallbacks Read(CgroupMemoryFiles cgroup, long usage, ref long limit, out long workingSet, out long high)
    {
        var fallbacks = MemoryProbeFallbacks.None;
        workingSet = usage;
        var length = files.ReadWhole(cgroup.StatPath, ref _statText);
        if (length > 0 && CgroupMemoryStat.TryParse(_statText.AsSpan(0, length), cgroup.Version, out var inactiveFile, out var hierarchicalLimit))
        {
            workingSet = Math.Max(0, usage - inactiveFile);
            limit = Tightest(limit, hierarchicalLimit);
        }
        else
        {
            fallbacks |= MemoryProbeFallbacks.CgroupStatUnreadable;
        }

        var ancestors = cgroup.AncestorLimitPaths;
        for (var i = 0; i < ancestors.Length; i++)
        {
            length = files.Read(ancestors[i], _buffer);
            if (length > 0 && CgroupValue.TryParseLimit(_buffer.AsSpan(0, length), out var ancestorLimit))
            {
                limit = Tightest(limit, ancestorLimit);
            }
            else if (length >= 0 || i < ancestors.Length - 1)
            {
                // The last is the root, which has no memory.max on a host; any other ancestor has one.
                fallbacks |= MemoryProbeFallbacks.AncestorLimitUnreadable;
            }
        }

        high = 0;
        var highs = cgroup.HighPaths;
        for (var i = 0; i < highs.Length; i++)
        {
            // memory.high is optional: the root has none, and a cgroup without it throttles nothing.
            length = files.Read(highs[i], _buffer);
            if (length > 0 && CgroupValue.TryParseLimit(_buffer.AsSpan(0, length), out var cgroupHigh))
            {
                high = Tightest(high, cgroupHigh);
            }
        }

        return fallbacks;
    }

    /// <summary>Gives the tighter of two limits, where 0 is no limit.</summary>
    private static long Tightest(long a, long b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);
}
