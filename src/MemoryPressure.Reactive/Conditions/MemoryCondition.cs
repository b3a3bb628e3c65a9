using System.Reactive.Linq;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// A predicate over a <see cref="MemorySample"/>: whether memory is short in some sense.
/// Conditions compose with <c>&amp;</c>, <c>|</c> and <c>!</c> (or <see cref="And"/>,
/// <see cref="Or"/>, <see cref="Not()"/>) and define the levels of a <see cref="SeverityLadder"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="object.ToString"/> gives the condition's text form, the one
/// <see cref="Parse(string)"/> reads back (for example <c>LocalRelative &lt; 10% | GlobalAbsolute &lt; 256MB</c>),
/// so logs can say why a level was entered. Built-in conditions compare by value. Two cases have
/// no faithful text form: a <see cref="CustomCondition"/> (it prints its description), and an
/// <see cref="All"/> or <see cref="Any"/> of fewer than two conditions (one of one prints as that
/// condition and reads back as it; one of none prints as nothing).
/// </para>
/// <para>Built-in conditions are immutable and thread-safe.</para>
/// </remarks>
public abstract partial class MemoryCondition
{
    /// <summary>Initializes the condition; for subclasses.</summary>
    protected MemoryCondition()
    {
    }

    /// <summary>Tells whether the condition holds for a sample.</summary>
    /// <param name="sample">The sample to judge.</param>
    /// <returns><see langword="true"/> when the condition holds (memory is short in this condition's sense).</returns>
    public abstract bool CanFire(MemorySample sample);

    /// <summary>Observes the condition over a stream of samples: one value per sample.</summary>
    /// <param name="samples">The samples to judge.</param>
    /// <returns>An observable of <see cref="CanFire"/> for each sample, in order; it ends when the samples end,
    /// and with <c>OnError</c> when the condition throws.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is <see langword="null"/>.</exception>
    public IObservable<bool> Observe(IObservable<MemorySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples.Select(CanFire);
    }

    /// <summary>Combines with another condition: both must hold.</summary>
    /// <param name="other">The other condition.</param>
    /// <returns>An <see cref="All"/> of this condition and <paramref name="other"/>, flattened when this is already an <see cref="All"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public MemoryCondition And(MemoryCondition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this is All all ? new All([.. all.Conditions, other]) : new All(this, other);
    }

    /// <summary>Combines with another condition: either may hold.</summary>
    /// <param name="other">The other condition.</param>
    /// <returns>An <see cref="Any"/> of this condition and <paramref name="other"/>, flattened when this is already an <see cref="Any"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public MemoryCondition Or(MemoryCondition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this is Any any ? new Any([.. any.Conditions, other]) : new Any(this, other);
    }

    /// <summary>Negates the condition.</summary>
    /// <returns>A <see cref="Reactive.Not"/> of this condition.</returns>
    public MemoryCondition Not() => new Not(this);

    /// <summary>Combines two conditions: both must hold. Same as <see cref="And"/>.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns>An <see cref="All"/> of both.</returns>
    /// <exception cref="ArgumentNullException">A condition is <see langword="null"/>.</exception>
    public static MemoryCondition operator &(MemoryCondition left, MemoryCondition right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.And(right);
    }

    /// <summary>Combines two conditions: either may hold. Same as <see cref="Or"/>.</summary>
    /// <param name="left">The first condition.</param>
    /// <param name="right">The second condition.</param>
    /// <returns>An <see cref="Any"/> of both.</returns>
    /// <exception cref="ArgumentNullException">A condition is <see langword="null"/>.</exception>
    public static MemoryCondition operator |(MemoryCondition left, MemoryCondition right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.Or(right);
    }

    /// <summary>Negates a condition. Same as <see cref="Not()"/>.</summary>
    /// <param name="condition">The condition to negate.</param>
    /// <returns>A <see cref="Reactive.Not"/> of <paramref name="condition"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public static MemoryCondition operator !(MemoryCondition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition.Not();
    }

    /// <summary>Gets how tightly the condition's text form binds, for parenthesizing it inside others.</summary>
    private protected virtual int Precedence => ConditionText.AtomPrecedence;

    /// <summary>Adds the usage thresholds where this condition can change its truth, and says what its parts depend on.</summary>
    /// <remarks>By default a condition depends on what no usage figure shows: custom conditions and the machine-wide kinds.</remarks>
    internal virtual UsageParts AddUsageThresholds(UsageThresholds thresholds) => UsageParts.Other;

    /// <summary>
    /// Gets the seconds until the condition holds if memory goes on moving as it did between two
    /// samples: 0 when it holds, <see cref="double.PositiveInfinity"/> when nothing says it will (a
    /// custom condition, a negation, figures that are not getting worse).
    /// </summary>
    internal virtual double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) => double.PositiveInfinity;

    /// <summary>
    /// Gets the figure the condition reads, as the room left under its limit: what a held level
    /// watches to act again when memory grows back. A condition that reads no figure of its own (a
    /// custom one, a negation) watches the sample's <see cref="MemorySample.BindingLimit"/>.
    /// </summary>
    internal virtual MemoryHeadroom Headroom(in MemorySample sample) => sample.BindingLimit;

    /// <summary>Writes the condition's text form, in parentheses when it binds looser than its context.</summary>
    internal string ToString(int contextPrecedence) =>
        Precedence < contextPrecedence ? $"({this})" : ToString()!;
}
