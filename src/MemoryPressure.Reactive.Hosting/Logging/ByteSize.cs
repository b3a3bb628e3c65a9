using System.Globalization;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>A byte count as a log line shows it: <c>512 B</c>, <c>61.9 MiB</c>, <c>1.5 GiB</c>.</summary>
/// <remarks>
/// Units are 1024^n with their IEC names, the unit chosen so that the number is below 1024 (after rounding), with one
/// decimal at most (<c>100 MiB</c>, not <c>100.0 MiB</c>). Passed to the source-generated log methods
/// as a value, it is formatted only when the line is written.
/// </remarks>
internal readonly struct ByteSize(long bytes)
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public override string ToString()
    {
        if (Math.Abs((double)bytes) < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        var unit = 0;
        var value = (double)bytes;
        while (Math.Abs(Math.Round(value, 1)) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(value, 1):0.#} {Units[unit]}");
    }
}
