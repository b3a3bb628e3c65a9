using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>The host's log messages, source-generated; the category is <see cref="MemoryPressureManager"/>'s full name.</summary>
/// <remarks>
/// Byte figures are shown in human units (<c>61.9 MiB of 100 MiB</c>, see <see cref="ByteSize"/>);
/// <see cref="TransitionLog"/> logs them through a <see cref="PropertiesLogger"/> that keeps the exact
/// counts too: each <c>{ProcessResident}</c> of a message has a <c>ProcessResidentBytes</c> beside it
/// in the structured state, for queries and alerts.
/// </remarks>
internal static partial class Log
{
    private const string Figures =
        "resident {ProcessResident} of {ProcessLimit}, managed heap {ManagedHeap}, system available {SystemAvailable} of {SystemTotal}";

    [LoggerMessage(1, LogLevel.Information, "Memory pressure monitoring started on {LevelCount} levels: {Ladder}", EventName = "MemoryPressureStarted")]
    public static partial void Started(ILogger logger, int levelCount, string ladder);

    [LoggerMessage(2, LogLevel.Information, "Memory pressure monitoring stopped at level {Level}", EventName = "MemoryPressureStopped")]
    public static partial void Stopped(ILogger logger, int level);

    [LoggerMessage(
        3,
        LogLevel.Warning,
        "Entered memory pressure level {Level} ({LevelName}) on {Condition}: " + Figures
            + "; the tightest limit is {BindingLimit}, {BindingHeadroom} of {BindingLimitSize} left",
        EventName = "MemoryPressureLevelEntered")]
    public static partial void LevelEntered(
        ILogger logger,
        int level,
        string levelName,
        string condition,
        ByteSize processResident,
        ByteSize processLimit,
        ByteSize managedHeap,
        ByteSize systemAvailable,
        ByteSize systemTotal,
        MemoryLimitSource bindingLimit,
        ByteSize bindingHeadroom,
        ByteSize bindingLimitSize);

    [LoggerMessage(4, LogLevel.Information, "Left memory pressure level {Level} ({LevelName}) on {Condition}: " + Figures, EventName = "MemoryPressureLevelLeft")]
    public static partial void LevelLeft(
        ILogger logger,
        int level,
        string levelName,
        string condition,
        ByteSize processResident,
        ByteSize processLimit,
        ByteSize managedHeap,
        ByteSize systemAvailable,
        ByteSize systemTotal);

    [LoggerMessage(5, LogLevel.Information, "Memory is back to normal: resident {ProcessResident} of {ProcessLimit}", EventName = "MemoryPressureNormal")]
    public static partial void MemoryNormal(ILogger logger, ByteSize processResident, ByteSize processLimit);

    [LoggerMessage(6, LogLevel.Error, "A memory pressure handler failed on {HandlerEvent} at level {Level}; monitoring goes on", EventName = "MemoryPressureHandlerFailed")]
    public static partial void HandlerFailed(ILogger logger, string handlerEvent, int level, Exception exception);

    [LoggerMessage(
        7,
        LogLevel.Error,
        "A memory pressure handler on {HandlerEvent} at level {Level} is still running after {TimeoutMilliseconds} ms; the manager's later events and samples wait for it",
        EventName = "MemoryPressureHandlerTimedOut")]
    public static partial void HandlerTimedOut(ILogger logger, string handlerEvent, int level, double timeoutMilliseconds, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "A memory pressure probe, condition, sample source or extension failed; monitoring goes on", EventName = "MemoryPressureFailed")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(
        9,
        LogLevel.Trace,
        "Memory sample of {SampleTime} at level {Level}, handled in {HandledMilliseconds} ms: " + Figures + "; cgroup working set {CgroupWorkingSet}, the GC's cap {GcHeapHardLimit}",
        EventName = "MemoryPressureSample")]
    public static partial void Sample(
        ILogger logger,
        string sampleTime,
        int level,
        double handledMilliseconds,
        ByteSize processResident,
        ByteSize processLimit,
        ByteSize managedHeap,
        ByteSize systemAvailable,
        ByteSize systemTotal,
        ByteSize cgroupWorkingSet,
        ByteSize gcHeapHardLimit);

    [LoggerMessage(
        10,
        LogLevel.Warning,
        "Memory pressure level {Level} ({LevelName}) is still in effect and memory grew back since the level last acted: it acts again; " + Figures
            + "; the tightest limit is {BindingLimit}, {BindingHeadroom} of {BindingLimitSize} left",
        EventName = "MemoryPressureLevelRepeated")]
    public static partial void LevelRepeated(
        ILogger logger,
        int level,
        string levelName,
        ByteSize processResident,
        ByteSize processLimit,
        ByteSize managedHeap,
        ByteSize systemAvailable,
        ByteSize systemTotal,
        MemoryLimitSource bindingLimit,
        ByteSize bindingHeadroom,
        ByteSize bindingLimitSize);

    [LoggerMessage(11, LogLevel.Information, "Memory pressure levels {NativeTrimLevels} trim the native heap: {NativeHeapStatus}", EventName = "MemoryPressureNativeHeapTrim")]
    public static partial void NativeHeapTrim(ILogger logger, string nativeTrimLevels, string nativeHeapStatus);

    [LoggerMessage(EventId = 12, Message = "Memory limit {Limit} changed from {LimitBefore} to {LimitAfter}: {LimitResponse} {GcHeapHardLimit}", EventName = "MemoryPressureLimitChanged")]
    public static partial void LimitChanged(
        ILogger logger,
        LogLevel level,
        MemoryLimitSource limit,
        LimitSize limitBefore,
        LimitSize limitAfter,
        string limitResponse,
        LimitSize gcHeapHardLimit);
}
