using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>Span helpers shared by the kernel-file parsers: ASCII fields and numbers, no allocation.</summary>
internal static class KernelText
{
    /// <summary>Takes the first line of <paramref name="text"/> and advances past it.</summary>
    public static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> text) => NextField(ref text, (byte)'\n');

    /// <summary>Takes the next field separated by <paramref name="separator"/> and advances past it.</summary>
    public static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> text, byte separator)
    {
        var end = text.IndexOf(separator);
        ReadOnlySpan<byte> field;
        if (end < 0)
        {
            field = text;
            text = default;
        }
        else
        {
            field = text[..end];
            text = text[(end + 1)..];
        }

        return field;
    }

    /// <summary>Tells whether a comma-separated list (<c>rw,nosuid,memory</c>) holds <paramref name="name"/>.</summary>
    public static bool ListContains(ReadOnlySpan<byte> list, ReadOnlySpan<byte> name)
    {
        while (!list.IsEmpty)
        {
            if (NextField(ref list, (byte)',').SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes the next field separated by runs of spaces or tabs and advances past it.</summary>
    public static ReadOnlySpan<byte> NextWord(ref ReadOnlySpan<byte> text)
    {
        text = text.TrimStart(" \t"u8);
        var end = text.IndexOfAny(" \t"u8);
        ReadOnlySpan<byte> word;
        if (end < 0)
        {
            word = text;
            text = default;
        }
        else
        {
            word = text[..end];
            text = text[end..];
        }

        return word;
    }

    /// <summary>Parses a whole field as a non-negative decimal number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseNonNegative(ReadOnlySpan<byte> field, out long value)
    {
        field = field.Trim(" \t\n\0"u8);
        if (field.IsEmpty || field[0] == (byte)'-' || field[0] == (byte)'+'
            || !Utf8Parser.TryParse(field, out value, out var consumed) || consumed != field.Length)
        {
            value = 0;
            return false;
        }

        return true;
    }
}
