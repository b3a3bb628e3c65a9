namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>The running count and bytes of one type (one method table), with the shape that gives each instance's size.</summary>
/// <remarks>A class, so the walker can keep the tally of the last type seen and add to it without a lookup.</remarks>
internal sealed class TypeTally(ulong methodTable, ObjectShape shape)
{
    public ulong MethodTable { get; } = methodTable;

    public ObjectShape Shape { get; } = shape;

    public long Count { get; private set; }

    public long Bytes { get; private set; }

    public void Add(long bytes)
    {
        Count++;
        Bytes += bytes;
    }
}
