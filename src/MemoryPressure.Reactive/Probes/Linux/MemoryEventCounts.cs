namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Parses a cgroup v2 <c>memory.events</c> file (flat keyed: <c>high 3</c> per line) for the counters
/// of pressure on a limit: <c>high</c>, <c>max</c>, <c>oom</c>, <c>oom_kill</c>, <c>oom_group_kill</c>.
/// </summary>
internal static class MemoryEventCounts
{
    private static readonly byte[][] Keys = ["high"u8.ToArray(), "max"u8.ToArray(), "oom"u8.ToArray(), "oom_kill"u8.ToArray(), "oom_group_kill"u8.ToArray()];

    /// <summary>Gets how many counters <see cref="Update"/> keeps.</summary>
    public static int Count => Keys.Length;

    /// <summary>Reads the counters from <paramref name="text"/> into <paramref name="counts"/>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="counts">The counts last read, <see cref="Count"/> of them, updated in place; a key missing from the text keeps its count.</param>
    /// <returns>Whether a counter grew.</returns>
    public static bool Update(ReadOnlySpan<byte> text, long[] counts)
    {
        var grew = false;
        while (!text.IsEmpty)
        {
            var line = KernelText.NextLine(ref text);
            var key = KernelText.NextWord(ref line);
            for (var index = 0; index < Keys.Length; index++)
            {
                if (key.SequenceEqual(Keys[index]) && KernelText.TryParseNonNegative(line, out var count))
                {
                    grew |= count > counts[index];
                    counts[index] = count;
                }
            }
        }

        return grew;
    }
}
