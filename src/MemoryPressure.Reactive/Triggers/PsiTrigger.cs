using System.Globalization;

namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// A Linux PSI trigger as written to a <c>memory.pressure</c> file: "some|full &lt;stall µs&gt; &lt;window µs&gt;",
/// which fires when tasks stalled on memory for the stall time within a window of that length.
/// </summary>
/// <remarks>
/// The kernel takes windows from 500 ms to 10 s and a stall time from 1 µs up to the window. A
/// process without <c>CAP_SYS_RESOURCE</c> (root in most containers included) may only use windows
/// that are a multiple of 2 s, as the kernel then checks triggers with its 2-second averaging work.
/// The text written carries a trailing NUL, which the kernel wants to end the string.
/// </remarks>
internal readonly record struct PsiTrigger(bool Full, long StallMicroseconds, long WindowMicroseconds)
{
    public const long MinimumWindowMicroseconds = 500_000;
    public const long MaximumWindowMicroseconds = 10_000_000;
    public const long UnprivilegedWindowMultiple = 2_000_000;

    /// <summary>Parses "some 150000 1000000" (one space or more between the fields).</summary>
    /// <returns><see langword="false"/> when the text is not a trigger the kernel would take.</returns>
    public static bool TryParse(string? text, out PsiTrigger trigger)
    {
        trigger = default;
        var fields = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields is not [var kind and ("some" or "full"), var stallText, var windowText]
            || !long.TryParse(stallText, NumberStyles.None, CultureInfo.InvariantCulture, out var stall)
            || !long.TryParse(windowText, NumberStyles.None, CultureInfo.InvariantCulture, out var window)
            || window is < MinimumWindowMicroseconds or > MaximumWindowMicroseconds
            || stall <= 0 || stall > window)
        {
            return false;
        }

        trigger = new PsiTrigger(kind == "full", stall, window);
        return true;
    }

    /// <summary>Parses a trigger that <see cref="MemoryPressureTriggers.PressureStallTrigger"/> has checked.</summary>
    /// <exception cref="FormatException">The text is not a trigger the kernel would take.</exception>
    public static PsiTrigger Parse(string text) =>
        TryParse(text, out var trigger) ? trigger : throw new FormatException($"'{text}' is not a PSI trigger.");

    /// <summary>
    /// Gets the trigger to try when the kernel refuses this one (EINVAL) to a process without
    /// <c>CAP_SYS_RESOURCE</c>: the same stall time in the window rounded up to a multiple of 2 s, so it
    /// fires at least as readily; <see langword="null"/> when the window is such a multiple already.
    /// </summary>
    public PsiTrigger? UnprivilegedFallback =>
        WindowMicroseconds % UnprivilegedWindowMultiple == 0
            ? null
            : this with { WindowMicroseconds = (WindowMicroseconds / UnprivilegedWindowMultiple + 1) * UnprivilegedWindowMultiple };

    /// <summary>Gives the text to write: the trigger and its trailing NUL.</summary>
    public string ToKernelText() => ToString() + "\0";

    /// <summary>Gives the trigger's text, without the NUL.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Full ? "full" : "some")} {StallMicroseconds} {WindowMicroseconds}");
}
