namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>Where a cgroup hierarchy is mounted: the cgroup its mount shows as its root, and the directory.</summary>
/// <param name="Root">The cgroup path at the root of the mount (<c>/</c> unless a container mounts a sub-tree).</param>
/// <param name="MountPoint">The directory the hierarchy is mounted on.</param>
internal sealed record CgroupMount(string Root, string MountPoint)
{
    /// <summary>
    /// Maps a path from <c>/proc/self/cgroup</c> to its directory, or <see langword="null"/> when the
    /// path lies outside what this mount shows.
    /// </summary>
    public string? DirectoryOf(string cgroupPath)
    {
        string relative;
        if (Root == "/")
        {
            relative = cgroupPath;
        }
        else if (cgroupPath == Root || cgroupPath.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            relative = cgroupPath[Root.Length..];
        }
        else
        {
            return null;
        }

        return MountPoint.TrimEnd('/') + relative.TrimEnd('/');
    }
}
