namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>The part of the GC heap a range of objects belongs to.</summary>
internal enum HeapArea
{
    Generation0,
    Generation1,
    Generation2,
    LargeObjects,
    PinnedObjects,
}
