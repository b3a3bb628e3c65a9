namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>How long the collection before a dump took (zero when none ran), the runtime took to write the dump, and the breakdown took to read it.</summary>
internal readonly record struct DumpTimings(TimeSpan Collection, TimeSpan Dump, TimeSpan Analysis);
