using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>The host's log messages, source-generated; the category is <see cref="MemoryPressureManager"/>'s full name.</summary>
internal static partial class Log
{
    private const string Figures =
        "resident {ProcessResidentBytes} of {ProcessLimitBytes} bytes, managed heap {ManagedHeapBytes} bytes, system available {SystemAvailableBytes} of {SystemTotalBytes} bytes";

    [LoggerMessage(1, LogLevel.Information, "Memory pressure monitoring started on {LevelCount} levels: {Ladder}", EventName = "MemoryPressureStarted")]
    public static partial void Started(ILogger logger, int levelCount, string ladder);

    [LoggerMessage(2, LogLevel.Information, "Memory pressure monitoring stopped at level {Level}", EventName = "MemoryPressureStopped")]
    public static partial void Stopped(ILogger logger, int level);

    [LoggerMessage(
        3,
        LogLevel.Warning,
        "Entered memory pressure level {Level} ({LevelName}) on {Condition}: " + Figures
            + "; the tightest limit is {BindingLimit}, {BindingHeadroomBytes} of {BindingLimitBytes} bytes left",
        EventName = "MemoryPressureLevelEntered")]
    public static partial void LevelEntered(
        ILogger logger,
        int level,
        string levelName,
        string condition,
        long processResidentBytes,
        long processLimitBytes,
        long managedHeapBytes,
        long systemAvailableBytes,
        long systemTotalBytes,
        MemoryLimitSource bindingLimit,
        long bindingHeadroomBytes,
        long bindingLimitBytes);

    [LoggerMessage(
        4,
        LogLevel.Information,
        "Left memory pressure level {Level} ({LevelName}) on {Condition}: " + Figures,
        EventName = "MemoryPressureLevelLeft")]
    public static partial void LevelLeft(
        ILogger logger, int level, string levelName, string condition, long processResidentBytes, long processLimitBytes, long managedHeapBytes, long systemAvailableBytes, long systemTotalBytes);

    [LoggerMessage(5, LogLevel.Information, "Memory is back to normal: resident {ProcessResidentBytes} of {ProcessLimitBytes} bytes", EventName = "MemoryPressureNormal")]
    public static partial void MemoryNormal(ILogger logger, long processResidentBytes, long processLimitBytes);

    [LoggerMessage(6, LogLevel.Error, "A memory pressure handler, cleanup action, probe, condition or sample source failed; monitoring goes on", EventName = "MemoryPressureHandlerFailed")]
    public static partial void Failed(ILogger logger, Exception exception);
}
