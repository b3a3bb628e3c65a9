using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>Byte counts as people read them.</summary>
internal static class Mebibytes
{
    public static double Of(long bytes) => bytes / 1048576.0;

    public static string Format(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{Of(bytes):F0} MiB");
}
