using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Parses <c>/proc/meminfo</c>: lines of "Name:  value kB".
/// </summary>
/// <remarks>
/// <c>MemAvailable</c> (Linux 3.14 and later) is the kernel's own estimate of memory available to
/// new work without swapping: free memory plus the reclaimable part of the page cache and slabs.
/// On older kernels it is missing and <c>MemFree + Buffers + Cached</c> stands in for it, an
/// overestimate the kernel itself used before.
/// </remarks>
internal static class MemInfo
{
    public const string Path = "/proc/meminfo";

    /// <summary>Reads the machine's total and available memory, in bytes.</summary>
    /// <returns><see langword="false"/> when <c>MemTotal</c> or every estimate of available memory is missing.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out long totalBytes, out long availableBytes)
    {
        long total = -1, available = -1, free = -1, buffers = -1, cached = -1;
        while (!text.IsEmpty && (total < 0 || available < 0))
        {
            var line = KernelText.NextLine(ref text);
            var name = KernelText.NextField(ref line, (byte)':');
            if (!KernelText.TryParseNonNegative(KernelText.NextWord(ref line), out var value))
            {
                continue;
            }

            value *= KernelText.NextWord(ref line).SequenceEqual("kB"u8) ? 1024 : 1;
            if (name.SequenceEqual("MemTotal"u8))
            {
                total = value;
            }
            else if (name.SequenceEqual("MemAvailable"u8))
            {
                available = value;
            }
            else if (name.SequenceEqual("MemFree"u8))
            {
                free = value;
            }
            else if (name.SequenceEqual("Buffers"u8))
            {
                buffers = value;
            }
            else if (name.SequenceEqual("Cached"u8))
            {
                cached = value;
            }
        }

        if (available < 0 && free >= 0 && buffers >= 0 && cached >= 0)
        {
            available = free + buffers + cached;
        }

        totalBytes = Math.Max(total, 0);
        availableBytes = Math.Max(available, 0);
        return total > 0 && available >= 0;
    }
}
