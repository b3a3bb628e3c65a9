namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>Per-type tallies of a heap walk, keyed by method table: the only state the walk keeps.</summary>
/// <remarks>
/// Memory stays bounded by the number of distinct types in the process (one small tally each), not by
/// the number of objects; type names are looked up only for the types that make the top of the list.
/// </remarks>
internal sealed class TypeTotals
{
    private readonly Dictionary<ulong, TypeTally> _byMethodTable = [];

    public int TypeCount => _byMethodTable.Count;

    public TypeTally? Find(ulong methodTable) => _byMethodTable.GetValueOrDefault(methodTable);

    public TypeTally Add(ulong methodTable, ObjectShape shape)
    {
        var tally = new TypeTally(methodTable, shape);
        _byMethodTable.Add(methodTable, tally);
        return tally;
    }

    /// <summary>Lists the largest types, by bytes then by count, and totals the rest.</summary>
    /// <param name="top">How many types to list.</param>
    /// <param name="nameOf">Gives the name of a method table.</param>
    /// <param name="generations">The walked bytes per generation.</param>
    /// <param name="unreadableBytes">The bytes the walk had to skip.</param>
    /// <returns>The breakdown.</returns>
    public HeapBreakdown Summarize(int top, Func<ulong, string> nameOf, GcHeapFigures generations, long unreadableBytes)
    {
        long objects = 0, bytes = 0;
        foreach (var tally in _byMethodTable.Values)
        {
            objects += tally.Count;
            bytes += tally.Bytes;
        }

        var largest = _byMethodTable.Values
            .OrderByDescending(t => t.Bytes)
            .ThenByDescending(t => t.Count)
            .ThenBy(t => t.MethodTable)
            .Take(top)
            .Select(t => new TypeUsage(nameOf(t.MethodTable), t.Count, t.Bytes, bytes == 0 ? 0 : (double)t.Bytes / bytes))
            .ToArray();
        return new HeapBreakdown(largest, TypeCount, objects, bytes, unreadableBytes, generations);
    }
}
