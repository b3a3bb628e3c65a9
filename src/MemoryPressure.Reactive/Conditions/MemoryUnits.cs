namespace MemoryPressure.Reactive;

/// <summary>Byte units for readable thresholds, as the kernel and the condition text count them: 1024^n.</summary>
/// <example><c>new LocalAbsoluteValue(256 * MemoryUnits.MB)</c></example>
public static class MemoryUnits
{
    /// <summary>One kibibyte: 1,024 bytes.</summary>
    public const long KB = 1L << 10;

    /// <summary>One mebibyte: 1,048,576 bytes.</summary>
    public const long MB = 1L << 20;

    /// <summary>One gibibyte: 1,073,741,824 bytes.</summary>
    public const long GB = 1L << 30;

    /// <summary>
    /// Reads a byte unit as the condition text and the Hosting configuration write it: <c>B</c>,
    /// <c>KB</c>, <c>MB</c> or <c>GB</c>, or their IEC names <c>KiB</c>, <c>MiB</c> or <c>GiB</c>
    /// (all 1024^n, case-insensitive), or nothing for bytes.
    /// </summary>
    /// <remarks>
    /// <c>KB</c> and <c>KiB</c> are the same unit here, as in the kernel's files and the GC's
    /// settings: memory is counted in powers of 1024, and a limit written <c>256MB</c> means 256 MiB.
    /// </remarks>
    /// <param name="unit">The unit's text, without spaces.</param>
    /// <param name="bytesPerUnit">The bytes in one unit; 0 when the text is no unit.</param>
    /// <returns><see langword="true"/> when the text is a unit.</returns>
    public static bool TryParseUnit(ReadOnlySpan<char> unit, out long bytesPerUnit)
    {
        bytesPerUnit = unit switch
        {
            [] or ['B' or 'b'] => 1,
            ['K' or 'k', 'B' or 'b'] or ['K' or 'k', 'i' or 'I', 'B' or 'b'] => KB,
            ['M' or 'm', 'B' or 'b'] or ['M' or 'm', 'i' or 'I', 'B' or 'b'] => MB,
            ['G' or 'g', 'B' or 'b'] or ['G' or 'g', 'i' or 'I', 'B' or 'b'] => GB,
            _ => 0,
        };
        return bytesPerUnit != 0;
    }
}
