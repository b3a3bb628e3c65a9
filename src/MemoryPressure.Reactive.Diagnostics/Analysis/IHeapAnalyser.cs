namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>Turns a dump file into a per-type breakdown of its managed heap.</summary>
internal interface IHeapAnalyser
{
    /// <summary>Says why no dump of this process could be analysed, or returns <see langword="null"/> when one can.</summary>
    string? WhyUnavailable();

    /// <summary>Reads the dump and totals its heap per type.</summary>
    /// <param name="dumpPath">The dump file.</param>
    /// <param name="topTypes">How many types to list.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The breakdown.</returns>
    HeapBreakdown Analyse(string dumpPath, int topTypes, CancellationToken cancellationToken);
}
