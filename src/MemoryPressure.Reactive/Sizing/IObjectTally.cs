namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// What a walk does per type besides counting: decide which objects it counts and keep per-type
/// totals. Implemented by structs, so that a walk that needs neither pays nothing for it.
/// </summary>
internal unsafe interface IObjectTally
{
    /// <summary>Decides whether an object the walk has not counted yet is counted (and followed).</summary>
    /// <returns><see langword="false"/> when its type is excluded: the walk neither counts nor follows it.</returns>
    bool Admit(object value, MethodTableHeader* methodTable);

    /// <summary>Adds the object last admitted, of <paramref name="bytes"/>, to its type's totals.</summary>
    void Add(nuint bytes);

    /// <summary>Forgets what was added, before the walk starts again.</summary>
    void Reset();
}
