using System.Globalization;

namespace MemoryPressure.Reactive;

/// <summary>A snapshot of one trigger source of a <see cref="MemoryPressureManager"/>: whether it runs, and why not.</summary>
public sealed class TriggerStatus
{
    internal TriggerStatus(TriggerSource source, TriggerState state, string detail, long signals)
    {
        Source = source;
        State = state;
        Detail = detail;
        Signals = signals;
    }

    /// <summary>Gets the source.</summary>
    public TriggerSource Source { get; }

    /// <summary>Gets where the source stands.</summary>
    public TriggerState State { get; }

    /// <summary>
    /// Gets what the source watches when <see cref="TriggerState.Active"/> (the file, the trigger, the
    /// thresholds), or why it is off, unavailable or failed.
    /// </summary>
    public string Detail { get; }

    /// <summary>Gets how many signals the source has given so far; a storm of them is coalesced into few samples.</summary>
    public long Signals { get; }

    /// <summary>Describes the status in one line, for logs.</summary>
    /// <returns>For example <c>PressureStall: Active (some 150000 2000000 on /proc/pressure/memory), 3 signals</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Source}: {State} ({Detail}), {Signals} signal{(Signals == 1 ? "" : "s")}");
}
