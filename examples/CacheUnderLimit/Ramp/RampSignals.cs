using MemoryPressure.Reactive;

namespace CacheUnderLimit.Ramp;

/// <summary>Which push signals a ramp child's manager may use.</summary>
public enum RampSignals
{
    /// <summary>Every signal the machine offers, the cgroup v1 ones included.</summary>
    All,

    /// <summary>None of the cgroup v1 signals: what a process has under cgroup v2, on Windows or on macOS.</summary>
    Portable,
}

/// <summary>The trigger options and names of <see cref="RampSignals"/>.</summary>
public static class RampSignalsExtensions
{
    /// <summary>Gets the manager's trigger options for the signals.</summary>
    public static MemoryPressureTriggers Triggers(this RampSignals signals) => signals == RampSignals.Portable
        ? new MemoryPressureTriggers { UsageThresholds = false, PressureLevel = false }
        : new MemoryPressureTriggers();

    /// <summary>Gets the name of the signals on the command line and in the table.</summary>
    public static string ArgumentName(this RampSignals signals) => signals == RampSignals.Portable ? "portable" : "all";

    /// <summary>Parses <see cref="ArgumentName"/>.</summary>
    /// <exception cref="ArgumentException">The text names no signals.</exception>
    public static RampSignals ParseSignals(string text) => text switch
    {
        "all" => RampSignals.All,
        "portable" => RampSignals.Portable,
        _ => throw new ArgumentException($"Unknown signals '{text}': all or portable.", nameof(text)),
    };
}
