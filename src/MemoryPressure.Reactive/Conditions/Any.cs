using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>Holds when at least one of its conditions holds. Text form: <c>a | b | c</c>.</summary>
/// <remarks>
/// Conditions are evaluated in order and evaluation stops at the first that holds.
/// An <see cref="Any"/> of no conditions never holds. Two are equal when their conditions are, in order.
/// </remarks>
public sealed class Any : MemoryCondition, IEquatable<Any>
{
    private readonly MemoryCondition[] _conditions;

    /// <summary>Initializes the condition.</summary>
    /// <param name="conditions">The conditions of which one must hold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of its items is <see langword="null"/>.</exception>
    public Any(params MemoryCondition[] conditions) => _conditions = Composite.Copy(conditions, nameof(conditions));

    /// <summary>Gets the conditions, in order.</summary>
    public IReadOnlyList<MemoryCondition> Conditions => _conditions;

    private protected override int Precedence => ConditionText.OrPrecedence;

    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Tightest(_conditions, sample);

    internal override UsageParts AddUsageThresholds(UsageThresholds thresholds) => Composite.AddUsageThresholds(_conditions, thresholds);

    /// <summary>Holds when the soonest of its conditions does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds)
    {
        var seconds = double.PositiveInfinity;
        foreach (var condition in _conditions)
        {
            seconds = Math.Min(seconds, condition.SecondsToFire(previous, current, elapsedSeconds));
        }

        return seconds;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample)
    {
        foreach (var condition in _conditions)
        {
            if (condition.CanFire(sample))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public bool Equals(Any? other) => other is not null && _conditions.SequenceEqual(other._conditions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Any);

    /// <inheritdoc/>
    public override int GetHashCode() => Composite.Hash(typeof(Any), _conditions);

    /// <inheritdoc/>
    public override string ToString() => ConditionText.Join(_conditions, " | ", Precedence);
}
