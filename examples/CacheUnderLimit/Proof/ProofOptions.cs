using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>What the parent runs: the limit, how long, and where the results go.</summary>
/// <param name="LimitBytes">The memory limit of each child.</param>
/// <param name="Duration">How long each child serves requests, unless it dies first.</param>
/// <param name="OutputDirectory">Where the Markdown table and the PNG chart are written.</param>
/// <param name="UseGcHeapHardLimit">Whether to limit the children with <c>DOTNET_GCHeapHardLimit</c> even where a cgroup could be made.</param>
public sealed record ProofOptions(long LimitBytes, TimeSpan Duration, string OutputDirectory, bool UseGcHeapHardLimit = false)
{
    /// <summary>Gets the default run: 256 MiB for 40 seconds.</summary>
    public static ProofOptions Default { get; } = new(256L << 20, TimeSpan.FromSeconds(40), Path.Combine("artifacts", "CacheUnderLimit"));

    /// <summary>Gets the short run the test uses: 192 MiB for 15 seconds.</summary>
    public static ProofOptions ShortRun { get; } = Default with { LimitBytes = 192L << 20, Duration = TimeSpan.FromSeconds(15) };

    /// <summary>Reads <c>[--short] [--seconds N] [--limit-mib N] [--output DIR] [--gc-heap-hard-limit]</c>.</summary>
    /// <exception cref="ArgumentException">An argument is not one of those.</exception>
    public static ProofOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--short") ? ShortRun : Default;
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--short" => options,
                "--gc-heap-hard-limit" => options with { UseGcHeapHardLimit = true },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Number(args, ++i)) },
                "--limit-mib" => options with { LimitBytes = (long)Number(args, ++i) << 20 },
                "--output" => options with { OutputDirectory = Value(args, ++i) },
                var other => throw new ArgumentException($"Unknown argument '{other}'.", nameof(args)),
            };
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, int index) =>
        index < args.Count ? args[index] : throw new ArgumentException($"'{args[index - 1]}' needs a value.", nameof(args));

    private static double Number(IReadOnlyList<string> args, int index) =>
        double.TryParse(Value(args, index), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a positive number.", nameof(args));
}
