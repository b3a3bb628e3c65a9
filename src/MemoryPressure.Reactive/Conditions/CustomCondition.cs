using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive;

/// <summary>
/// A condition given by a function, or by a subclass that overrides <see cref="CanFire"/>:
/// for what the built-in conditions do not measure (a queue length, a cache size, a flag set on demand).
/// </summary>
/// <remarks>
/// A custom condition has no text form that <see cref="MemoryCondition.Parse(string)"/> can read;
/// its <see cref="ToString"/> is its <see cref="Description"/>. It compares by reference.
/// The function runs on the thread that evaluates the ladder, once per sample; an exception it
/// throws is the ladder's error for that sample.
/// </remarks>
public class CustomCondition : MemoryCondition
{
    private readonly Func<MemorySample, bool>? _predicate;
    private readonly string? _description;

    /// <summary>Initializes a condition from a function of nothing (a flag, a counter, a timer).</summary>
    /// <param name="predicate">Tells whether the condition holds.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public CustomCondition(Func<bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _predicate = _ => predicate();
    }

    /// <summary>Initializes a condition from a function of the sample.</summary>
    /// <param name="predicate">Tells whether the condition holds for a sample.</param>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public CustomCondition(Func<MemorySample, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _predicate = predicate;
    }

    /// <summary>Initializes a condition for a subclass that overrides <see cref="CanFire"/>.</summary>
    protected CustomCondition()
    {
    }

    /// <summary>Gets what the condition means, for logs.</summary>
    /// <value>The default value is <c>"custom"</c> for a function, the type's name for a subclass.</value>
    /// <exception cref="ArgumentNullException">The value set is <see langword="null"/>.</exception>
    public string Description
    {
        get => _description ?? (_predicate is null ? GetType().Name : "custom");
        init => _description = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc/>
    /// <exception cref="NotImplementedException">A subclass built with the protected constructor did not override this method.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        _predicate is { } predicate
            ? predicate(sample)
            : throw new NotImplementedException($"{GetType().Name} must override {nameof(CanFire)}.");

    /// <inheritdoc/>
    public override string ToString() => Description;
}
