using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Parsers of the configuration values that the standard converters do not read the way the condition text does.</summary>
internal static class ConfigurationValues
{
    /// <summary>Reads a whole number of bytes with an optional unit B, KB, MB or GB (1024^n, case-insensitive), as in the condition text.</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        var digits = text.AsSpan().TrimEnd();
        var unitStart = digits.Length;
        while (unitStart > 0 && char.IsAsciiLetter(digits[unitStart - 1]))
        {
            unitStart--;
        }

        if (!MemoryUnits.TryParseUnit(digits[unitStart..], out var unit)
            || !long.TryParse(digits[..unitStart].TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count > long.MaxValue / unit)
        {
            bytes = 0;
            return false;
        }

        bytes = count * unit;
        return true;
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

    /// <summary>
    /// Gives the rule a setter of the core's options stated when it refused a value, as a clause for a
    /// configuration error: "the check interval must be positive and at most a day", without the
    /// runtime's "(Parameter ...)" and "Actual value was ..." parts.
    /// </summary>
    public static string Reason(ArgumentException refusal)
    {
        var message = refusal.Message;
        var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var rule = (parameter >= 0 ? message[..parameter] : message).Trim().TrimEnd('.');
        return rule.Length > 0 ? char.ToLowerInvariant(rule[0]) + rule[1..] : rule;
    }

    /// <summary>Reads a health status by name (case-insensitive); numbers are refused.</summary>
    public static bool TryParseHealthStatus(string text, out HealthStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && !char.IsAsciiDigit(text[0]) && Enum.IsDefined(status);
}
