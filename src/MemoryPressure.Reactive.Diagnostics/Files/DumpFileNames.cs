using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MemoryPressure.Reactive.Diagnostics.Files;

/// <summary>
/// Names of dump files: <c>{prefix}-{yyyyMMdd-HHmmss-fff UTC}-{process id}-{8 random hex digits}.dmp</c>.
/// </summary>
/// <remarks>
/// The prefix may only hold <c>A-Z a-z 0-9 . _ -</c> and may not start with a dot, so a name can neither
/// leave its directory (no separator, no <c>..</c>) nor hide; the time, the process id and 32 random bits
/// keep two dumps from ever sharing a name. Names of one prefix sort by time.
/// </remarks>
internal static partial class DumpFileNames
{
    public const int MaximumPrefixLength = 64;

    public const string Extension = ".dmp";

    /// <summary>Says what is wrong with a prefix (as the end of a sentence), or returns <see langword="null"/> when it is allowed.</summary>
    public static string? WhyInvalidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "must not be empty";
        }

        if (prefix.Length > MaximumPrefixLength)
        {
            return $"must be at most {MaximumPrefixLength} characters long";
        }

        if (prefix[0] == '.')
        {
            return "must not start with a dot (it would name a hidden file, or with '..' step out of the directory)";
        }

        return AllowedPrefix().IsMatch(prefix)
            ? null
            : $"'{prefix}' may only hold the letters A-Z and a-z, digits, '.', '_' and '-' (no path separators)";
    }

    /// <summary>Makes a new file name for a dump; the caller has checked the prefix.</summary>
    public static string Create(string prefix, DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{time.UtcDateTime:yyyyMMdd-HHmmss-fff}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}{Extension}");

    /// <summary>Says whether a file name is one <see cref="Create"/> made with this prefix.</summary>
    public static bool IsDumpOf(string prefix, string fileName) =>
        fileName.Length > prefix.Length + 1
        && fileName.StartsWith(prefix + "-", StringComparison.Ordinal)
        && NameAfterPrefix().IsMatch(fileName.AsSpan(prefix.Length + 1));

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex AllowedPrefix();

    [GeneratedRegex(@"^\d{8}-\d{6}-\d{3}-\d+-[0-9a-f]{8}\.dmp$")]
    private static partial Regex NameAfterPrefix();
}
