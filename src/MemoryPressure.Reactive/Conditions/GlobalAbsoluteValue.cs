using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when the memory available to the whole system is below a number of bytes:
/// <c>SystemAvailableBytes &lt; bytes</c>. Text form: <c>GlobalAbsolute &lt; 256MB</c>.
/// </summary>
public sealed class GlobalAbsoluteValue : MemoryCondition, IEquatable<GlobalAbsoluteValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="bytes">The threshold in bytes; 0 or more (see <see cref="MemoryUnits"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public GlobalAbsoluteValue(long bytes) => Bytes = Thresholds.Bytes(bytes, nameof(bytes));

    /// <summary>Gets the threshold in bytes.</summary>
    public long Bytes { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.SystemAvailableBytes < Bytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.System(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        Approach.Seconds(Approach.SystemAvailable(previous), Approach.SystemAvailable(current), Bytes, elapsedSeconds);

    /// <inheritdoc/>
    public bool Equals(GlobalAbsoluteValue? other) => other is not null && other.Bytes == Bytes;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GlobalAbsoluteValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(GlobalAbsoluteValue), Bytes);

    /// <inheritdoc/>
    public override string ToString() => $"GlobalAbsolute < {ConditionText.Bytes(Bytes)}";
}
