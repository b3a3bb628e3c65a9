namespace MemoryPressure.Reactive;

/// <summary>
/// How <see cref="ObjectSize.GetSize(object?, ObjectSizeOptions)"/> walks a graph: which types it
/// leaves out, where it stops, and how much of a per-type breakdown it returns.
/// </summary>
/// <remarks>
/// The options are read once when the walk starts; changing them during a walk has no effect on it.
/// An instance may be shared by walks on several threads as long as nobody changes it.
/// </remarks>
/// <example>
/// Weigh a cache entry without its shared services, and never walk more than a million objects:
/// <code>
/// var result = ObjectSize.GetSize(entry, new ObjectSizeOptions
/// {
///     Exclude = type => type == typeof(SharedServices) || typeof(System.Reflection.MemberInfo).IsAssignableFrom(type),
///     MaximumObjects = 1_000_000,
///     TopTypes = 5,
/// });
/// </code>
/// </example>
public sealed class ObjectSizeOptions
{
    /// <summary>Gets or sets the types the walk leaves out.</summary>
    /// <value>
    /// A predicate over an object's exact runtime type: <see langword="true"/> means objects of that
    /// type are neither counted nor followed (nor is the root, if its type is excluded).
    /// The default value is <see langword="null"/>: nothing is excluded.
    /// </value>
    /// <remarks>
    /// The predicate is asked once per distinct type per walk, on the calling thread, and it is the
    /// only code of yours the walk runs; an exception it throws ends the walk and propagates.
    /// Typical exclusions: <see cref="Type"/> and other reflection objects, <see cref="System.Reflection.Assembly"/>,
    /// loggers, and your own shared singletons.
    /// </remarks>
    public Func<Type, bool>? Exclude { get; set; }

    /// <summary>Gets or sets the most distinct objects the walk counts.</summary>
    /// <value>The default value is <see cref="long.MaxValue"/> (no limit).</value>
    /// <remarks>
    /// When counting one more object would exceed it, the walk stops and the result says so
    /// (<see cref="ObjectSizeResult.StopReason"/> is <see cref="ObjectSizeStopReason.MaximumObjects"/>).
    /// A graph of exactly this many objects is counted whole. <c>0</c> counts nothing.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaximumObjects
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaximumObjects));
            field = value;
        }
    } = long.MaxValue;

    /// <summary>Gets or sets the most bytes the walk counts.</summary>
    /// <value>The default value is <see cref="long.MaxValue"/> (no limit).</value>
    /// <remarks>
    /// When counting one more object would take the total above it, the walk stops and the result
    /// says so (<see cref="ObjectSizeResult.StopReason"/> is <see cref="ObjectSizeStopReason.MaximumBytes"/>);
    /// <see cref="ObjectSizeResult.Bytes"/> never exceeds it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaximumBytes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaximumBytes));
            field = value;
        }
    } = long.MaxValue;

    /// <summary>Gets or sets how many types <see cref="ObjectSizeResult.TopTypes"/> lists.</summary>
    /// <value>The default value is <c>0</c>: no per-type breakdown, and the fastest walk.</value>
    /// <remarks>
    /// Keeping per-type totals costs a lookup per object counted; the walk does it only when this
    /// is positive or <see cref="Exclude"/> is set.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int TopTypes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(TopTypes));
            field = value;
        }
    }
}
