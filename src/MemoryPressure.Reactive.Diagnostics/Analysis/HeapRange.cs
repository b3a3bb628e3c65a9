namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>A contiguous run of objects of one heap area: <see cref="Start"/> is the first object, <see cref="End"/> is past the last.</summary>
internal readonly record struct HeapRange(ulong Start, ulong End, HeapArea Area);
