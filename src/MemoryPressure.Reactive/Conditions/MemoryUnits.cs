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
}
