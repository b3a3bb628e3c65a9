using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>Holds when its condition does not. Text form: <c>!a</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The contract fixes the seed's name Not; Visual Basic users can write [Not].")]
public sealed class Not : MemoryCondition, IEquatable<Not>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="condition">The condition to negate.</param>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public Not(MemoryCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Condition = condition;
    }

    /// <summary>Gets the negated condition.</summary>
    public MemoryCondition Condition { get; }

    private protected override int Precedence => ConditionText.NotPrecedence;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) => !Condition.CanFire(sample);

    internal override UsageParts AddUsageThresholds(UsageThresholds thresholds) => Condition.AddUsageThresholds(thresholds);

    /// <inheritdoc/>
    public bool Equals(Not? other) => other is not null && other.Condition.Equals(Condition);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Not);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(Not), Condition);

    /// <inheritdoc/>
    /// <remarks>The negated condition is written in parentheses unless it is itself a <see cref="Not"/>: <c>!(LocalRelative &lt; 20%)</c>, <c>!!(...)</c>.</remarks>
    public override string ToString() => "!" + (Condition is Not ? Condition.ToString() : $"({Condition})");
}
