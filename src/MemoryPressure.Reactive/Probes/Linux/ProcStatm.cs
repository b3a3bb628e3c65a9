using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Probes.Linux;

/// <summary>
/// Parses <c>/proc/self/statm</c>: seven numbers of pages, "size resident shared text lib data dt".
/// The second is the resident set, the figure <c>ps</c> shows as RSS.
/// </summary>
internal static class ProcStatm
{
    public const string Path = "/proc/self/statm";

    /// <summary>Reads the resident set in pages; <see langword="false"/> when the text is not statm's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseResidentPages(ReadOnlySpan<byte> text, out long pages)
    {
        KernelText.NextWord(ref text);
        return KernelText.TryParseNonNegative(KernelText.NextWord(ref text), out pages);
    }
}
