using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>Logs each step of the level with the level's name, the condition that decided it and the sample's figures.</summary>
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
                _logger, step.Level, name, enter, s.ProcessResidentBytes, s.ProcessLimitBytes, s.ManagedHeapBytes, s.SystemAvailableBytes, s.SystemTotalBytes,
                binding.Limit, binding.HeadroomBytes, binding.LimitBytes);
            return;
        }

        Log.LevelLeft(_logger, step.Level, name, leave, s.ProcessResidentBytes, s.ProcessLimitBytes, s.ManagedHeapBytes, s.SystemAvailableBytes, s.SystemTotalBytes);
        if (step.To == 0)
        {
            Log.MemoryNormal(_logger, s.ProcessResidentBytes, s.ProcessLimitBytes);
        }
    }

    public void OnError(Exception error) => Log.Failed(_logger, error);

    public void OnStopped(int level) => Log.Stopped(_logger, level);
}
