using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Parsers of the configuration values that the standard converters do not read the way the condition text does.</summary>
internal static class ConfigurationValues
{
    /// <summary>The units of a time span in configuration, with their length in ticks.</summary>
    private static readonly (string Unit, long Ticks)[] TimeUnits =
    [
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("min", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>
    /// Reads a byte count: a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB (1024^n,
    /// case-insensitive, read by <see cref="MemoryUnits.TryParseUnit"/>), a space allowed before the
    /// unit: <c>536870912</c>, <c>"512MiB"</c>, <c>"512 MB"</c>, <c>"1.5GiB"</c>. A fraction must come to whole bytes.
    /// </summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        var number = SplitUnit(text, out var unitText);
        if (!MemoryUnits.TryParseUnit(unitText, out var unit)
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)
            || count > long.MaxValue / unit
            || count * unit != decimal.Truncate(count * unit))
        {
            bytes = 0;
            return false;
        }

        bytes = (long)(count * unit);
        return true;
    }

    /// <summary>
    /// Reads a time span: a number with a unit <c>ms</c>, <c>s</c>, <c>min</c> or <c>h</c>
    /// (case-insensitive, a space allowed before it): <c>"250ms"</c>, <c>"1.5s"</c>, <c>"5min"</c>; or,
    /// without a unit, the invariant text of a <see cref="TimeSpan"/>: <c>"00:00:00.250"</c>, <c>"1.00:00:00"</c>.
    /// </summary>
    /// <remarks>
    /// A number without a unit is read as <see cref="TimeSpan"/> text reads it, as days (<c>"2"</c> is two
    /// days), so a value that was TimeSpan text keeps its meaning. The sign is kept for the validator,
    /// which names the key of a negative value.
    /// </remarks>
    public static bool TryParseTimeSpan(string text, out TimeSpan value)
    {
        var number = SplitUnit(text, out var unitText);
        if (unitText.IsEmpty)
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        }

        value = default;
        foreach (var (unit, ticksPerUnit) in TimeUnits)
        {
            if (unitText.Equals(unit, StringComparison.OrdinalIgnoreCase))
            {
                if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count))
                {
                    return false;
                }

                var ticks = Math.Round(count * ticksPerUnit);
                if (!(Math.Abs(ticks) < TimeSpan.MaxValue.Ticks))
                {
                    return false;
                }

                value = TimeSpan.FromTicks((long)ticks);
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a handler timeout: a time span as <see cref="TryParseTimeSpan"/> reads it, or <c>Infinite</c> (case-insensitive) for none.</summary>
    public static bool TryParseTimeout(string text, out TimeSpan value)
    {
        if (text.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }

        return TryParseTimeSpan(text, out value);
    }

    /// <summary>Reads a percentage, with or without a trailing <c>%</c>; the range is the validator's to check.</summary>
    public static bool TryParsePercent(string text, out double percent)
    {
        var number = text.AsSpan();
        if (number.EndsWith("%"))
        {
            number = number[..^1].TrimEnd();
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out percent);
    }

    /// <summary>Reads a growth to repeat at: a percentage as <see cref="TryParsePercent"/> reads it, or <c>Never</c> (case-insensitive), <see langword="null"/>.</summary>
    public static bool TryParseRepeat(string text, out double? percent)
    {
        if (text.Equals("Never", StringComparison.OrdinalIgnoreCase))
        {
            percent = null;
            return true;
        }

        var read = TryParsePercent(text, out var value);
        percent = value;
        return read;
    }

    /// <summary>
    /// Words the refusal of a setter of the core's options as a configuration error: the rule it stated,
    /// as a clause (<c>the check interval must be positive and at most a day</c>) without the runtime's
    /// <c>(Parameter ...)</c> and <c>Actual value was ...</c> parts, then <c>, was</c> and the value when the
    /// rule does not quote it. An out-of-range refusal does not; the others (a PSI trigger's) do.
    /// </summary>
    /// <param name="refusal">What the setter threw.</param>
    /// <param name="value">The value refused, as the error shows it.</param>
    public static string Refusal(ArgumentException refusal, string value)
    {
        var message = refusal.Message;
        var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var rule = Clause(parameter >= 0 ? message[..parameter] : message);
        rule = rule.Length > 0 ? char.ToLowerInvariant(rule[0]) + rule[1..] : rule;
        return refusal is ArgumentOutOfRangeException ? $"{rule}, was {value}" : rule;
    }

    /// <summary>
    /// Turns a sentence (an exception's message) into a clause of a configuration error: without the
    /// period that ends it, since the options framework joins the errors with <c>"; "</c>.
    /// </summary>
    public static string Clause(string sentence) => sentence.Trim().TrimEnd('.');

    /// <summary>Reads a health status by name (case-insensitive); numbers are refused.</summary>
    public static bool TryParseHealthStatus(string text, out HealthStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && !char.IsAsciiDigit(text[0]) && Enum.IsDefined(status);

    /// <summary>Reads a cgroup v1 pressure level by name (case-insensitive): <c>Medium</c> or <c>Critical</c>; numbers that name none are refused.</summary>
    public static bool TryParsePressureLevel(string text, out CgroupPressureLevel level) =>
        Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);

    /// <summary>Splits a value into its number, returned, and the letters that end it, its unit, each without the spaces around it.</summary>
    private static ReadOnlySpan<char> SplitUnit(string text, out ReadOnlySpan<char> unit)
    {
        var value = text.AsSpan().Trim();
        var unitStart = value.Length;
        while (unitStart > 0 && char.IsAsciiLetter(value[unitStart - 1]))
        {
            unitStart--;
        }

        unit = value[unitStart..];
        return value[..unitStart].TrimEnd();
    }
}
