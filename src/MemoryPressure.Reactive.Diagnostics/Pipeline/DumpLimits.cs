namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>How often an installed trigger may dump: a least time between starts and a most dumps in its lifetime.</summary>
internal readonly record struct DumpLimits(TimeSpan MinimumInterval, int MaximumDumps);
