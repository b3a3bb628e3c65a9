using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when this process's headroom below its limit is under a share of that limit:
/// <c>(ProcessLimitBytes - ProcessResidentBytes) / ProcessLimitBytes * 100 &lt; percent</c>.
/// Text form: <c>LocalRelative &lt; 10%</c>.
/// </summary>
/// <remarks>
/// The seed's formula was inverted (it fired while usage was low); this one fires when headroom
/// runs out. Never holds for a sample whose <see cref="MemorySample.ProcessLimitBytes"/> is
/// unknown (0 or less); holds whenever the process is over its limit.
/// </remarks>
public sealed class LocalRelativeValue : MemoryCondition, IEquatable<LocalRelativeValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="percent">The threshold, a percentage in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside (0, 100] or NaN.</exception>
    public LocalRelativeValue(double percent) => Percent = Thresholds.Percent(percent, nameof(percent));

    /// <summary>Gets the threshold, a percentage in (0, 100].</summary>
    public double Percent { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.ProcessLimitBytes > 0
        && (sample.ProcessLimitBytes - Math.Max(sample.ProcessResidentBytes, 0)) * 100.0 / sample.ProcessLimitBytes < Percent;

    /// <summary>Holds when the resident set is above the limit times (1 - <see cref="Percent"/> / 100).</summary>
    internal override UsageParts AddUsageThresholds(UsageThresholds thresholds)
    {
        thresholds.HeadroomPercents.Add(Percent);
        return UsageParts.Usage;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Process(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        current.ProcessLimitBytes > 0 && previous.ProcessLimitBytes > 0
            ? Approach.Seconds(Approach.ProcessHeadroom(previous), Approach.ProcessHeadroom(current), current.ProcessLimitBytes * Percent / 100, elapsedSeconds)
            : double.PositiveInfinity;

    /// <inheritdoc/>
    public bool Equals(LocalRelativeValue? other) => other is not null && other.Percent.Equals(Percent);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LocalRelativeValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(LocalRelativeValue), Percent);

    /// <inheritdoc/>
    public override string ToString() => $"LocalRelative < {ConditionText.Percent(Percent)}";
}
