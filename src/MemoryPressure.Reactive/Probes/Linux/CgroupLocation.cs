using System.Globalization;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// The one cgroup locator: the v1 memory controller's directory and the v2 unified directory of a
/// process, found from <c>/proc/&lt;pid&gt;/cgroup</c> and this process's <c>/proc/self/mountinfo</c>
/// (the mounts are this process's view). The probe reads its memory files from it
/// (<see cref="CgroupMemoryFiles.Locate"/>); the kernel trigger sources watch it.
/// </summary>
/// <param name="V1MemoryDirectory">The directory in the v1 hierarchy that holds the memory controller, if any.</param>
/// <param name="V2Directory">The directory in the v2 unified hierarchy, if mounted and the process is in it.</param>
internal sealed record CgroupLocation(string? V1MemoryDirectory, string? V2Directory)
{
    /// <summary>The machine-wide PSI file, for a process whose v2 cgroup has none.</summary>
    public const string MachinePressurePath = "/proc/pressure/memory";

    /// <summary>
    /// Gets the directory the v2 hierarchy is mounted on, the root of what this process sees of it (the
    /// host's root cgroup, or a container's own cgroup under a cgroup namespace), or <see langword="null"/>.
    /// </summary>
    public string? V2MountPoint { get; init; }

    /// <summary>Gets the directory the v1 memory hierarchy is mounted on, or <see langword="null"/>.</summary>
    public string? V1MountPoint { get; init; }

    /// <summary>Gets the v2 cgroup's PSI file, or <see langword="null"/>.</summary>
    public string? V2PressurePath => V2Directory is null ? null : Path.Combine(V2Directory, "memory.pressure");

    /// <summary>
    /// Gives the v2 cgroup's directory, then the directories above it, nearest first, up to and including
    /// <see cref="V2MountPoint"/>; nothing when the process is in no v2 hierarchy.
    /// </summary>
    public IEnumerable<string> V2DirectoryAndAncestors() => AndAncestors(V2Directory, V2MountPoint);

    /// <summary>
    /// Gives the v1 memory cgroup's directory, then the directories above it, nearest first, up to and
    /// including <see cref="V1MountPoint"/>; nothing when the process has no v1 memory cgroup.
    /// </summary>
    public IEnumerable<string> V1DirectoryAndAncestors() => AndAncestors(V1MemoryDirectory, V1MountPoint);

    private static string MountPoint(CgroupMount mount) => mount.MountPoint.TrimEnd('/') is { Length: > 0 } mountPoint ? mountPoint : "/";

    private static IEnumerable<string> AndAncestors(string? directory, string? mountPoint)
    {
        if (directory is not { } current)
        {
            yield break;
        }

        var root = mountPoint ?? current;
        yield return current;
        while (current.Length > root.Length)
        {
            current = Path.GetDirectoryName(current)!;
            yield return current;
        }
    }

    /// <summary>Locates the cgroups from the text of the two files.</summary>
    public static CgroupLocation Parse(ReadOnlySpan<byte> cgroupText, ReadOnlySpan<byte> mountInfoText)
    {
        var membership = CgroupMembership.Parse(cgroupText);
        var mounts = CgroupMounts.Parse(mountInfoText);
        var v2Directory = membership.V2Path is { } v2 ? mounts.V2?.DirectoryOf(v2) : null;
        var v1Directory = membership.V1MemoryPath is { } v1 ? mounts.V1Memory?.DirectoryOf(v1) : null;
        return new CgroupLocation(v1Directory, v2Directory)
        {
            V1MountPoint = v1Directory is null ? null : MountPoint(mounts.V1Memory!),
            V2MountPoint = v2Directory is null ? null : MountPoint(mounts.V2!),
        };
    }

    /// <summary>Locates the cgroups of a process.</summary>
    /// <param name="processId">The process; 0 for this one.</param>
    /// <exception cref="IOException">A file cannot be read (the process is gone, or <c>/proc</c> is not mounted).</exception>
    public static CgroupLocation Of(int processId)
    {
        var process = processId == 0 ? "self" : processId.ToString(CultureInfo.InvariantCulture);
        return Parse(File.ReadAllBytes($"/proc/{process}/cgroup"), File.ReadAllBytes(CgroupMounts.Path));
    }
}
