using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>Holds when every one of its conditions holds. Text form: <c>a &amp; b &amp; c</c>.</summary>
/// <remarks>
/// Conditions are evaluated in order and evaluation stops at the first that does not hold.
/// An <see cref="All"/> of no conditions always holds. Two are equal when their conditions are, in order.
/// </remarks>
public sealed class All : MemoryCondition, IEquatable<All>
{
    private readonly MemoryCondition[] _conditions;

    /// <summary>Initializes the condition.</summary>
    /// <param name="conditions">The conditions that must all hold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="conditions"/> or one of its items is <see langword="null"/>.</exception>
    public All(params MemoryCondition[] conditions) => _conditions = Composite.Copy(conditions, nameof(conditions));

    /// <summary>Gets the conditions, in order.</summary>
    public IReadOnlyList<MemoryCondition> Conditions => _conditions;

    private protected override int Precedence => ConditionText.AndPrecedence;

    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Tightest(_conditions, sample);

    internal override UsageParts AddUsageThresholds(UsageThresholds thresholds) => Composite.AddUsageThresholds(_conditions, thresholds);

    /// <summary>Holds when the last of its conditions to hold does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds)
    {
        var seconds = 0.0;
        foreach (var condition in _conditions)
        {
            seconds = Math.Max(seconds, condition.SecondsToFire(previous, current, elapsedSeconds));
        }

        return seconds;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.CanFire(sample))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Equals(All? other) => other is not null && _conditions.SequenceEqual(other._conditions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as All);

    /// <inheritdoc/>
    public override int GetHashCode() => Composite.Hash(typeof(All), _conditions);

    /// <inheritdoc/>
    public override string ToString() => ConditionText.Join(_conditions, " & ", Precedence);
}
