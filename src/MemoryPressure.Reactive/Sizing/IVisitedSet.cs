namespace MemoryPressure.Reactive.Sizing;

/// <summary>The objects a walk has reached, compared by reference. Implemented by structs, so the walk calls it directly.</summary>
internal interface IVisitedSet
{
    /// <summary>Adds an object.</summary>
    /// <returns><see langword="true"/> if the set did not hold it yet.</returns>
    bool Add(object value);

    /// <summary>
    /// Gets whether every answer <see cref="Add"/> gave is still right; <see langword="false"/> once a
    /// garbage collection may have moved objects the set keys by address. A walk whose set is no
    /// longer valid is void and starts again.
    /// </summary>
    bool IsValid { get; }
}
