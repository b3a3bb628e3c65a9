using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Parses the one-number files of the memory controller: v2 <c>memory.current</c> and
/// <c>memory.max</c>, v1 <c>memory.usage_in_bytes</c> and <c>memory.limit_in_bytes</c>.
/// </summary>
internal static class CgroupValue
{
    /// <summary>
    /// Limits at or above this mean "no limit". cgroup v1 has no word for it and shows
    /// <c>PAGE_COUNTER_MAX * PAGE_SIZE</c>, <c>LONG_MAX</c> rounded down to a page
    /// (9223372036854771712 with 4 KiB pages); no machine has 4 EiB, so anything from 2^62 up is that sentinel.
    /// </summary>
    private const long UnlimitedThreshold = 1L << 62;

    /// <summary>Parses a limit: <c>0</c> for "max" (v2) or the v1 sentinel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseLimit(ReadOnlySpan<byte> text, out long bytes)
    {
        if (text.Trim(" \t\n\0"u8).SequenceEqual("max"u8))
        {
            bytes = 0;
            return true;
        }

        if (!KernelText.TryParseNonNegative(text, out bytes))
        {
            return false;
        }

        if (bytes >= UnlimitedThreshold)
        {
            bytes = 0;
        }

        return true;
    }

    /// <summary>Parses a usage figure in bytes.</summary>
    public static bool TryParseUsage(ReadOnlySpan<byte> text, out long bytes) => KernelText.TryParseNonNegative(text, out bytes);
}
