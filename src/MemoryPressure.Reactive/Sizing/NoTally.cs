namespace MemoryPressure.Reactive.Sizing;

/// <summary>Counts every object and keeps no per-type totals.</summary>
internal unsafe struct NoTally : IObjectTally
{
    /// <inheritdoc/>
    public readonly bool Admit(object value, MethodTableHeader* methodTable) => true;

    /// <inheritdoc/>
    public readonly void Add(nuint bytes)
    {
    }

    /// <inheritdoc/>
    public readonly void Reset()
    {
    }
}
