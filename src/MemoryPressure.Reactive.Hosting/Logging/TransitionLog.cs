using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Logs each step of the level with the level's name, the condition that decided it and the sample's figures, and each failure.</summary>
/// <remarks>
/// The condition of a step up is the level's <see cref="LadderLevel.Condition"/>; of a step down, its
/// <see cref="LadderLevel.ExitCondition"/>, or the negation of its condition when it has none. Their
/// text is computed once, at construction.
/// </remarks>
internal sealed class TransitionLog
{
    private readonly ILogger _logger;
    private readonly (string Name, string Enter, string Leave)[] _levels;
    private readonly string _ladder;
    private long _judgingSince;

    public TransitionLog(ILogger logger, SeverityLadder ladder)
    {
        _logger = logger;
        _levels = [.. ladder.Levels.Select(l => (l.Name ?? "unnamed", l.Condition.ToString()!, (l.ExitCondition ?? l.Condition.Not()).ToString()!))];
        _ladder = ladder.ToString().ReplaceLineEndings("; ");
    }

    public void OnStarted() => Log.Started(_logger, _levels.Length, _ladder);

    public void OnStep(LevelChanged step)
    {
        var (name, enter, leave) = _levels[step.Level - 1];
        var s = step.Sample;
        if (step.IsEntering)
        {
            var binding = s.BindingLimit;
            Log.LevelEntered(
                new PropertiesLogger(_logger, [.. Bytes(s), new("BindingHeadroomBytes", binding.HeadroomBytes), new("BindingLimitBytes", binding.LimitBytes)]),
                step.Level,
                name,
                enter,
                new(s.ProcessResidentBytes),
                new(s.ProcessLimitBytes),
                new(s.ManagedHeapBytes),
                new(s.SystemAvailableBytes),
                new(s.SystemTotalBytes),
                binding.Limit,
                new(binding.HeadroomBytes),
                new(binding.LimitBytes));
            return;
        }

        Log.LevelLeft(
            new PropertiesLogger(_logger, Bytes(s)), step.Level, name, leave, new(s.ProcessResidentBytes), new(s.ProcessLimitBytes), new(s.ManagedHeapBytes), new(s.SystemAvailableBytes), new(s.SystemTotalBytes));
        if (step.To == 0)
        {
            Log.MemoryNormal(new PropertiesLogger(_logger, Bytes(s)), new(s.ProcessResidentBytes), new(s.ProcessLimitBytes));
        }
    }

    /// <summary>
    /// Logs a level acting again while it stays in effect (<see cref="MemoryPressureManager.Repeated(int)"/>),
    /// with the sample that made it act and the limit the process would reach first. How far the figure
    /// its condition reads grew back is the manager's to judge and is not published.
    /// </summary>
    public void OnRepeated(int level, MemorySample s)
    {
        var binding = s.BindingLimit;
        Log.LevelRepeated(
            new PropertiesLogger(_logger, [.. Bytes(s), new("BindingHeadroomBytes", binding.HeadroomBytes), new("BindingLimitBytes", binding.LimitBytes)]),
            level,
            _levels[level - 1].Name,
            new(s.ProcessResidentBytes),
            new(s.ProcessLimitBytes),
            new(s.ManagedHeapBytes),
            new(s.SystemAvailableBytes),
            new(s.SystemTotalBytes),
            binding.Limit,
            new(binding.HeadroomBytes),
            new(binding.LimitBytes));
    }

    /// <summary>Logs which levels trim the native heap and what a trim does here (<see cref="NativeHeap.Status"/>).</summary>
    public void OnNativeHeapTrim(string levels, string status) => Log.NativeHeapTrim(_logger, levels, status);

    /// <summary>
    /// Logs a limit that changed while the process ran, in human units, and what the manager did: at
    /// <see cref="LogLevel.Warning"/> when the GC refused to follow, at <see cref="LogLevel.Information"/> otherwise.
    /// </summary>
    public void OnLimitChanged(MemoryLimitChange change)
    {
        var (level, response) = (change.Response, change.Limit) switch
        {
            (MemoryLimitResponse.GcLimitRefreshed, _) => (LogLevel.Information, "the GC's cap follows, now"),
            (MemoryLimitResponse.GcLimitRefused, _) => (LogLevel.Warning, "the GC refused to follow, even after a full collection, and is asked again at later samples; the GC's cap is"),
            (MemoryLimitResponse.NotFollowed, _) => (LogLevel.Information, "not followed (FollowLimitChanges is off); the GC's cap is"),
            (_, MemoryLimitSource.CgroupHigh) => (LogLevel.Information, "the GC does not read memory.high; the GC's cap is"),
            _ => (LogLevel.Information, "set by the GC itself, nothing to follow; the GC's cap is"),
        };
        if (!_logger.IsEnabled(level))
        {
            return;
        }

#pragma warning disable CA1873 // Guarded by IsEnabled(level) above: the analyzer does not follow a level held in a variable.
        Log.LimitChanged(
            new PropertiesLogger(
                _logger,
                [
                    new("LimitBeforeBytes", change.BeforeBytes),
                    new("LimitAfterBytes", change.AfterBytes),
                    new("GcHeapHardLimitBytes", change.GcHeapHardLimitBytes),
                    new("Response", change.Response),
                ]),
            level,
            change.Limit,
            new(change.BeforeBytes),
            new(change.AfterBytes),
            response,
            new(change.GcHeapHardLimitBytes));
#pragma warning restore CA1873
    }

    /// <summary>
    /// Logs a failure reported on <c>Errors</c>: a handler's with the event and level it served
    /// (<see cref="HandlerFailure"/>), a handler still running as such, anything else as a failure of
    /// the probe, a condition, the sample source or an extension.
    /// </summary>
    public void OnError(Exception error)
    {
        if (!HandlerFailure.TryGetHandler(error, out var handlerEvent, out var level))
        {
            Log.Failed(_logger, error);
        }
        else if (error is HandlerTimeoutException timeout)
        {
            Log.HandlerTimedOut(_logger, handlerEvent, level, timeout.Timeout.TotalMilliseconds, timeout);
        }
        else
        {
            Log.HandlerFailed(_logger, handlerEvent, level, error);
        }
    }

    public void OnStopped(int level) => Log.Stopped(_logger, level);

    /// <summary>Notes when the manager began judging a sample, for its trace line; a clock read is cheaper than asking the logger twice a sample whether it traces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnSampleJudging() => _judgingSince = Stopwatch.GetTimestamp();

    /// <summary>
    /// Logs a judged sample at <see cref="LogLevel.Trace"/>, with its own time to a tenth of a
    /// millisecond (the console's timestamp is taken when its queue writes the line, not when the
    /// sample was read) and how long the manager and its handlers took over it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnSampleJudged(MemorySample s, int level)
    {
        if (!_logger.IsEnabled(LogLevel.Trace))
        {
            return;
        }

        Log.Sample(
            _logger,
            s.Timestamp.ToString("HH:mm:ss.ffff", CultureInfo.InvariantCulture),
            level,
            Math.Round(Stopwatch.GetElapsedTime(_judgingSince).TotalMilliseconds, 1),
            new(s.ProcessResidentBytes),
            new(s.ProcessLimitBytes),
            new(s.ManagedHeapBytes),
            new(s.SystemAvailableBytes),
            new(s.SystemTotalBytes),
            new(s.CgroupWorkingSetBytes),
            new(s.GcHeapHardLimitBytes));
    }

    /// <summary>The exact byte counts of a sample, as properties of the lines about it.</summary>
    private static KeyValuePair<string, object?>[] Bytes(MemorySample s) =>
    [
        new("ProcessResidentBytes", s.ProcessResidentBytes),
        new("ProcessLimitBytes", s.ProcessLimitBytes),
        new("ManagedHeapBytes", s.ManagedHeapBytes),
        new("SystemAvailableBytes", s.SystemAvailableBytes),
        new("SystemTotalBytes", s.SystemTotalBytes),
    ];
}
