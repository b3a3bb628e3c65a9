using System.Runtime.CompilerServices;
namespace MemoryPressure.Reactive.Sizing;

/// <summary>Keeps per-type totals in a <see cref="TypeTable"/> and skips the types it excludes.</summary>
internal unsafe struct TypeTally(TypeTable table) : IObjectTally
{
    private readonly TypeTable _table = table;
    private TypeTable.Total? _admitted;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Admit(object value, MethodTableHeader* methodTable)
    {
        _admitted = _table.Get(value, methodTable);
        return !_admitted.Excluded;
    }

    /// <inheritdoc/>
    public readonly void Add(nuint bytes) => _admitted!.Add((long)bytes);

    /// <inheritdoc/>
    public readonly void Reset() => _table.Reset();
}
