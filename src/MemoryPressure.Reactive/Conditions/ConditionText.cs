using System.Globalization;

namespace MemoryPressure.Reactive.Conditions;

/// <summary>The pieces of the condition text form shared by <see cref="object.ToString"/> and the parser.</summary>
internal static class ConditionText
{
    public const int OrPrecedence = 1;
    public const int AndPrecedence = 2;
    public const int NotPrecedence = 3;
    public const int AtomPrecedence = 4;

    /// <summary>Writes bytes in the largest unit that divides them exactly: <c>256MB</c>, <c>1536KB</c>, <c>1000B</c>.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        0 => "0B",
        _ when bytes % MemoryUnits.GB == 0 => Invariant($"{bytes / MemoryUnits.GB}GB"),
        _ when bytes % MemoryUnits.MB == 0 => Invariant($"{bytes / MemoryUnits.MB}MB"),
        _ when bytes % MemoryUnits.KB == 0 => Invariant($"{bytes / MemoryUnits.KB}KB"),
        _ => Invariant($"{bytes}B"),
    };

    /// <summary>Writes a percentage that reads back to the same double: <c>10%</c>, <c>12.5%</c>.</summary>
    public static string Percent(double percent) => percent.ToString("R", CultureInfo.InvariantCulture) + "%";

    /// <summary>Joins the parts of a composite, parenthesizing each that binds no tighter than the composite.</summary>
    public static string Join(IReadOnlyList<MemoryCondition> conditions, string separator, int precedence) =>
        string.Join(separator, conditions.Select(c => c.ToString(precedence + 1)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
