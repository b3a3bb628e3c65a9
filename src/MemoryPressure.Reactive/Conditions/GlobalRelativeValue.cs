using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when the memory available to the whole system is below a share of physical memory:
/// <c>SystemAvailableBytes / SystemTotalBytes * 100 &lt; percent</c>. Text form: <c>GlobalRelative &lt; 10%</c>.
/// </summary>
/// <remarks>Never holds for a sample whose <see cref="MemorySample.SystemTotalBytes"/> is unknown (0 or less).</remarks>
public sealed class GlobalRelativeValue : MemoryCondition, IEquatable<GlobalRelativeValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="percent">The threshold, a percentage in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside (0, 100] or NaN.</exception>
    public GlobalRelativeValue(double percent) => Percent = Thresholds.Percent(percent, nameof(percent));

    /// <summary>Gets the threshold, a percentage in (0, 100].</summary>
    public double Percent { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.SystemTotalBytes > 0 && Math.Max(sample.SystemAvailableBytes, 0) * 100.0 / sample.SystemTotalBytes < Percent;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.System(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        current.SystemTotalBytes > 0 && previous.SystemTotalBytes > 0
            ? Approach.Seconds(Approach.SystemAvailable(previous), Approach.SystemAvailable(current), current.SystemTotalBytes * Percent / 100, elapsedSeconds)
            : double.PositiveInfinity;

    /// <inheritdoc/>
    public bool Equals(GlobalRelativeValue? other) => other is not null && other.Percent.Equals(Percent);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GlobalRelativeValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(GlobalRelativeValue), Percent);

    /// <inheritdoc/>
    public override string ToString() => $"GlobalRelative < {ConditionText.Percent(Percent)}";
}
