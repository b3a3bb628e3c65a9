using MemoryPressure.Reactive.Diagnostics.Files;

namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>A checked, unchangeable copy of <see cref="MemoryDumpOptions"/>, taken when a dump is asked for or installed.</summary>
internal sealed record DumpSettings(
    int TopTypes,
    bool IncludeUnreachable,
    bool KeepDumpFile,
    string? DumpDirectory,
    string FilePrefix,
    long MinimumFreeDiskBytes,
    int MaximumKeptDumps,
    DumpLimits Limits,
    IMemoryProbe Probe)
{
    /// <summary>Checks the options and copies them.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="parameterName">The name of the caller's parameter, for the exceptions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of its range.</exception>
    /// <exception cref="ArgumentException">The prefix or the directory is not allowed, or a kept dump has no directory.</exception>
    public static DumpSettings From(MemoryDumpOptions? options, string parameterName)
    {
        options ??= new MemoryDumpOptions();
        if (options.TopTypes is < 1 or > MemoryDumpOptions.MaximumTopTypes)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.TopTypes, $"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.TopTypes)} must be between 1 and {MemoryDumpOptions.MaximumTopTypes}.");
        }

        if (options.MinimumFreeDiskBytes < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.MinimumFreeDiskBytes, $"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.MinimumFreeDiskBytes)} must not be negative.");
        }

        if (options.MaximumKeptDumps < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.MaximumKeptDumps, $"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.MaximumKeptDumps)} must be at least 1.");
        }

        if (options.MinimumInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.MinimumInterval, $"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.MinimumInterval)} must not be negative.");
        }

        if (options.MaximumDumps < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, options.MaximumDumps, $"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.MaximumDumps)} must be at least 1.");
        }

        if (DumpFileNames.WhyInvalidPrefix(options.FilePrefix) is { } invalidPrefix)
        {
            throw new ArgumentException($"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.FilePrefix)} {invalidPrefix}.", parameterName);
        }

        return new DumpSettings(
            options.TopTypes,
            options.IncludeUnreachable,
            options.KeepDumpFile,
            FullDirectory(options, parameterName),
            options.FilePrefix,
            options.MinimumFreeDiskBytes,
            options.MaximumKeptDumps,
            new DumpLimits(options.MinimumInterval, options.MaximumDumps),
            options.Probe ?? MemoryProbe.Default);
    }

    private static string? FullDirectory(MemoryDumpOptions options, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(options.DumpDirectory))
        {
            return options.KeepDumpFile
                ? throw new ArgumentException($"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.DumpDirectory)} must be set when {nameof(MemoryDumpOptions.KeepDumpFile)} is true: kept dumps need a place chosen for them.", parameterName)
                : null;
        }

        if (options.DumpDirectory.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{nameof(MemoryDumpOptions)}.{nameof(MemoryDumpOptions.DumpDirectory)} must not contain a NUL character.", parameterName);
        }

        return Path.GetFullPath(options.DumpDirectory);
    }
}
