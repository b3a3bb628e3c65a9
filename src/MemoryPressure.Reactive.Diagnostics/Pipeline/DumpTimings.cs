namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>How long the runtime took to write a dump and how long the breakdown took to read it.</summary>
internal readonly record struct DumpTimings(TimeSpan Dump, TimeSpan Analysis);
