using System.Globalization;
using MemoryPressure.Reactive;

namespace CacheUnderLimit.Ramp;

/// <summary>What the ramp proof runs.</summary>
/// <param name="Runs">How many children each guard runs.</param>
/// <param name="BytesPerSecond">How fast each child's cache grows.</param>
/// <param name="TotalBytes">How much each child allocates before it ends (several times the limit).</param>
/// <param name="LimitBytes">The memory limit of each child.</param>
/// <param name="OutputDirectory">Where the Markdown table is written.</param>
/// <param name="CheckInterval">How often each child's manager polls.</param>
/// <param name="UseGcHeapHardLimit">Whether to limit the children with <c>DOTNET_GCHeapHardLimit</c> even where a cgroup could be made.</param>
public sealed record RampOptions(int Runs, double BytesPerSecond, long TotalBytes, long LimitBytes, string OutputDirectory, TimeSpan CheckInterval, bool UseGcHeapHardLimit = false)
{
    /// <summary>Gets the default: 10 runs per guard at 400 MiB/s to 1 GiB, under 256 MiB, polled as a manager polls by default (every second).</summary>
    public static RampOptions Default { get; } = new(10, 400 << 20, 1L << 30, 256L << 20, Path.Combine("artifacts", "CacheUnderLimit"), new MemoryPressureOptions().CheckInterval);

    /// <summary>Reads <c>--ramp [--runs N] [--rate-mib N] [--check-ms N] [--gc-heap-hard-limit] [--output DIR]</c>.</summary>
    /// <exception cref="ArgumentException">An argument is not one of those.</exception>
    public static RampOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--ramp" => options,
                "--gc-heap-hard-limit" => options with { UseGcHeapHardLimit = true },
                "--runs" => options with { Runs = (int)Number(args, ++i) },
                "--rate-mib" => options with { BytesPerSecond = Number(args, ++i) * (1 << 20) },
                "--check-ms" => options with { CheckInterval = TimeSpan.FromMilliseconds(Number(args, ++i)) },
                "--output" => options with { OutputDirectory = i + 1 < args.Count ? args[++i] : throw new ArgumentException("'--output' needs a value.", nameof(args)) },
                var other => throw new ArgumentException($"Unknown argument '{other}'.", nameof(args)),
            };
        }

        return options;
    }

    private static double Number(IReadOnlyList<string> args, int index) =>
        index < args.Count && double.TryParse(args[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a number of at least 1.", nameof(args));
}
