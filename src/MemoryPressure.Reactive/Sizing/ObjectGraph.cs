namespace MemoryPressure.Reactive.Sizing;

/// <summary>Measures an object graph, starting again when a garbage collection voids an attempt.</summary>
/// <remarks>
/// The fast attempts key visited objects by address (<see cref="AddressVisitedSet"/>), which a GC
/// that moves objects voids. Two attempts are made that way; if collections interrupt both, the
/// third uses identity hash codes (<see cref="IdentityVisitedSet"/>), which no GC disturbs, so a
/// measure ends after at most three walks however often collections run. The second attempt
/// reuses the first one's bitmap, so that it allocates little: a GC the first attempt's own
/// allocations set off is unlikely to void the second.
/// </remarks>
internal static class ObjectGraph
{
    private const int AddressKeyedAttempts = 2;

    private static readonly Func<int> CountCollections = () => GC.CollectionCount(0);

    /// <summary>Measures the graph reachable from <paramref name="root"/>.</summary>
    /// <param name="root">The first object.</param>
    /// <param name="tally">What to do per type besides counting.</param>
    /// <param name="maximumObjects">The most objects to count.</param>
    /// <param name="maximumBytes">The most bytes to count.</param>
    /// <param name="collectionCount">Reads the GC count (tests interrupt attempts through it); the default reads generation 0's.</param>
    public static ObjectGraphTotals Measure<TTally>(object root, TTally tally, long maximumObjects, long maximumBytes, Func<int>? collectionCount = null)
        where TTally : struct, IObjectTally
    {
        collectionCount ??= CountCollections;
        var bitmap = new AddressBitmap();
        for (var attempt = 0; attempt < AddressKeyedAttempts; attempt++)
        {
            tally.Reset();
            var visited = new AddressVisitedSet(bitmap, collectionCount);
            if (ObjectGraphWalk<TTally, AddressVisitedSet>.Run(root, visited, tally, maximumObjects, maximumBytes) is { } totals)
            {
                return totals;
            }
        }

        tally.Reset();
        return ObjectGraphWalk<TTally, IdentityVisitedSet>.Run(root, new IdentityVisitedSet(), tally, maximumObjects, maximumBytes)!.Value;
    }
}
