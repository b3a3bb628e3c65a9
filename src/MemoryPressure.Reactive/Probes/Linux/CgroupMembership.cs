using System.Text;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// The process's own cgroups, parsed from <c>/proc/self/cgroup</c>: lines of
/// "hierarchy-id:controller-list:path". A v1 hierarchy lists its controllers
/// (<c>4:memory:/kubepods/pod1</c>); the v2 unified hierarchy is id 0 with an empty list (<c>0::/system.slice</c>).
/// </summary>
/// <param name="V1MemoryPath">The path in the v1 hierarchy that holds the memory controller, if any.</param>
/// <param name="V2Path">The path in the v2 unified hierarchy, if any.</param>
internal sealed record CgroupMembership(string? V1MemoryPath, string? V2Path)
{
    public const string Path = "/proc/self/cgroup";

    public static CgroupMembership Parse(ReadOnlySpan<byte> text)
    {
        string? v1 = null, v2 = null;
        while (!text.IsEmpty)
        {
            var line = KernelText.NextLine(ref text);
            var id = KernelText.NextField(ref line, (byte)':');
            var controllers = KernelText.NextField(ref line, (byte)':');
            if (line.IsEmpty || line[0] != (byte)'/')
            {
                continue;
            }

            if (id.SequenceEqual("0"u8) && controllers.IsEmpty)
            {
                v2 = Encoding.UTF8.GetString(line);
            }
            else if (KernelText.ListContains(controllers, "memory"u8))
            {
                v1 = Encoding.UTF8.GetString(line);
            }
        }

        return new CgroupMembership(v1, v2);
    }
}
