namespace MemoryPressure.Reactive.Sizing;

/// <summary>What one walk counted.</summary>
/// <param name="Bytes">The bytes of the objects counted.</param>
/// <param name="Objects">The distinct objects counted.</param>
/// <param name="StopReason">The limit that stopped the walk, if one did.</param>
internal readonly record struct ObjectGraphTotals(long Bytes, long Objects, ObjectSizeStopReason StopReason);
