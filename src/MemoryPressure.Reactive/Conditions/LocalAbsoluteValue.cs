using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when this process's headroom below its limit is under a number of bytes:
/// <c>ProcessLimitBytes - ProcessResidentBytes &lt; bytes</c>. Text form: <c>LocalAbsolute &lt; 64MB</c>.
/// </summary>
/// <remarks>
/// Never holds for a sample whose <see cref="MemorySample.ProcessLimitBytes"/> is unknown (0 or
/// less); holds whenever the process is over its limit (negative headroom).
/// </remarks>
public sealed class LocalAbsoluteValue : MemoryCondition, IEquatable<LocalAbsoluteValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="bytes">The threshold in bytes; 0 or more (see <see cref="MemoryUnits"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public LocalAbsoluteValue(long bytes) => Bytes = Thresholds.Bytes(bytes, nameof(bytes));

    /// <summary>Gets the threshold in bytes.</summary>
    public long Bytes { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.ProcessLimitBytes > 0 && sample.ProcessLimitBytes - Math.Max(sample.ProcessResidentBytes, 0) < Bytes;

    /// <summary>Holds when the resident set is above the limit less <see cref="Bytes"/>.</summary>
    internal override UsageParts AddUsageThresholds(UsageThresholds thresholds)
    {
        thresholds.HeadroomBytes.Add(Bytes);
        return UsageParts.Usage;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Process(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        current.ProcessLimitBytes > 0 && previous.ProcessLimitBytes > 0
            ? Approach.Seconds(Approach.ProcessHeadroom(previous), Approach.ProcessHeadroom(current), Bytes, elapsedSeconds)
            : double.PositiveInfinity;

    /// <inheritdoc/>
    public bool Equals(LocalAbsoluteValue? other) => other is not null && other.Bytes == Bytes;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LocalAbsoluteValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(LocalAbsoluteValue), Bytes);

    /// <inheritdoc/>
    public override string ToString() => $"LocalAbsolute < {ConditionText.Bytes(Bytes)}";
}
