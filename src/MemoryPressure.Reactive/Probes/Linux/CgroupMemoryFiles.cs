namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>The memory files of the process's own memory cgroup, and the limits of its ancestors.</summary>
/// <param name="Version">1 or 2.</param>
/// <param name="Directory">The cgroup's directory.</param>
internal sealed record CgroupMemoryFiles(int Version, string Directory)
{
    /// <summary>Gets the statistics file, <c>memory.stat</c>: the inactive file cache, and v1's hierarchical limit.</summary>
    public string StatPath { get; } = Path.Combine(Directory, "memory.stat");

    /// <summary>
    /// Gets the <c>memory.max</c> files of the v2 cgroup's ancestors, parent first, up to and including
    /// the root this process sees (a limit on any of them binds the process too); empty for v1, whose
    /// <c>memory.stat</c> gives the hierarchy's limit, and for a cgroup at the root.
    /// </summary>
    public string[] AncestorLimitPaths { get; init; } = [];

    /// <summary>
    /// Gets the <c>memory.high</c> files of the v2 cgroup and its ancestors, its own first, up to and
    /// including the root this process sees (above any of them the kernel throttles and reclaims the
    /// process); empty for v1, which has no such limit.
    /// </summary>
    public string[] HighPaths { get; init; } = [];

    /// <summary>Gets the usage file: v2 <c>memory.current</c>, v1 <c>memory.usage_in_bytes</c>.</summary>
    public string UsagePath { get; } = Path.Combine(Directory, Version == 2 ? "memory.current" : "memory.usage_in_bytes");

    /// <summary>Gets the limit file: v2 <c>memory.max</c>, v1 <c>memory.limit_in_bytes</c>.</summary>
    public string LimitPath { get; } = Path.Combine(Directory, Version == 2 ? "memory.max" : "memory.limit_in_bytes");

    /// <summary>
    /// Finds the memory cgroup of the process. A v1 hierarchy holding the memory controller wins:
    /// the controller can be bound to one hierarchy only, so on a hybrid system (v1 controllers
    /// beside a v2 mount) the v2 cgroup has no memory files. A v2 cgroup counts only when its
    /// memory files can be read: the root cgroup and a cgroup whose parent does not delegate the
    /// memory controller have none.
    /// </summary>
    /// <param name="location">The process's cgroup directories.</param>
    /// <param name="readable">Tells whether a v2 candidate's files can be read.</param>
    public static CgroupMemoryFiles? Locate(CgroupLocation location, Func<CgroupMemoryFiles, bool> readable)
    {
        if (location.V1MemoryDirectory is { } v1Directory)
        {
            return new CgroupMemoryFiles(1, v1Directory);
        }

        if (location.V2Directory is { } v2Directory)
        {
            var v2 = new CgroupMemoryFiles(2, v2Directory)
            {
                AncestorLimitPaths = [.. location.V2DirectoryAndAncestors().Skip(1).Select(d => Path.Combine(d, "memory.max"))],
                HighPaths = [.. location.V2DirectoryAndAncestors().Select(d => Path.Combine(d, "memory.high"))],
            };
            return readable(v2) ? v2 : null;
        }

        return null;
    }
}
