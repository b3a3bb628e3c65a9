using System.Text;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// The cgroup mounts that matter for memory, parsed from <c>/proc/self/mountinfo</c>: lines of
/// "id parent major:minor root mount-point options [optional fields] - fstype source super-options",
/// with spaces and other special characters in paths escaped as octal (<c>\040</c>).
/// </summary>
/// <param name="V1Memory">The v1 hierarchy whose super-options include the <c>memory</c> controller, if mounted.</param>
/// <param name="V2">The v2 unified hierarchy, if mounted.</param>
internal sealed record CgroupMounts(CgroupMount? V1Memory, CgroupMount? V2)
{
    public const string Path = "/proc/self/mountinfo";

    public static CgroupMounts Parse(ReadOnlySpan<byte> text)
    {
        CgroupMount? v1 = null, v2 = null;
        while (!text.IsEmpty)
        {
            var line = KernelText.NextLine(ref text);
            var separator = line.IndexOf(" - "u8);
            if (separator < 0)
            {
                continue;
            }

            var tail = line[(separator + 3)..];
            var fileSystem = KernelText.NextWord(ref tail);
            KernelText.NextWord(ref tail);
            var superOptions = KernelText.NextWord(ref tail);

            var head = line[..separator];
            KernelText.NextWord(ref head);
            KernelText.NextWord(ref head);
            KernelText.NextWord(ref head);
            var root = KernelText.NextWord(ref head);
            var mountPoint = KernelText.NextWord(ref head);
            if (root.IsEmpty || mountPoint.IsEmpty)
            {
                continue;
            }

            if (v2 is null && fileSystem.SequenceEqual("cgroup2"u8))
            {
                v2 = new CgroupMount(Unescape(root), Unescape(mountPoint));
            }
            else if (v1 is null && fileSystem.SequenceEqual("cgroup"u8) && KernelText.ListContains(superOptions, "memory"u8))
            {
                v1 = new CgroupMount(Unescape(root), Unescape(mountPoint));
            }
        }

        return new CgroupMounts(v1, v2);
    }

    /// <summary>Undoes the kernel's octal escapes (<c>\040</c> space, <c>\011</c> tab, <c>\012</c> newline, <c>\134</c> backslash).</summary>
    private static string Unescape(ReadOnlySpan<byte> field)
    {
        if (field.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(field);
        }

        var bytes = new byte[field.Length];
        var length = 0;
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == (byte)'\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                bytes[length++] = (byte)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0'));
                i += 3;
            }
            else
            {
                bytes[length++] = field[i];
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
