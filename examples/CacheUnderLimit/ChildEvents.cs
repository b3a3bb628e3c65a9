using System.Text.Json.Serialization;

namespace CacheUnderLimit;

/// <summary>
/// What a child process reports to the parent, one JSON object per line on its standard output,
/// so the parent keeps everything up to the moment the child dies.
/// </summary>
/// <param name="Seconds">The time since the child started.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ChildStarted), "started")]
[JsonDerivedType(typeof(ChildReading), "reading")]
[JsonDerivedType(typeof(ChildLevelChanged), "level")]
[JsonDerivedType(typeof(ChildFinished), "finished")]
[JsonDerivedType(typeof(ChildDetected), "detected")]
[JsonDerivedType(typeof(ChildPhase), "phase")]
public abstract record ChildEvent(double Seconds);

/// <summary>The child runs, and this is the limit its probe sees.</summary>
public sealed record ChildStarted(double Seconds, long LimitBytes, string LimitSource, long GcHeapHardLimitBytes) : ChildEvent(Seconds);

/// <summary>One reading of the child's memory and cache, taken every <see cref="Child.ChildProgram.ReadingInterval"/>.</summary>
public sealed record ChildReading(
    double Seconds, long ResidentBytes, long ManagedHeapBytes, long CgroupUsageBytes, int Entries, long Hits, long Misses)
    : ChildEvent(Seconds)
{
    /// <summary>Gets the entries the cache removed to free memory: every miss added one, and nothing else removes any.</summary>
    public long Trimmed => Misses - Entries;
}

/// <summary>Mode (c) stepped from one level to the next, because of <paramref name="Condition"/>.</summary>
public sealed record ChildLevelChanged(double Seconds, int From, int To, string Condition, long ResidentBytes) : ChildEvent(Seconds);

/// <summary>
/// A ramp child's level was entered <paramref name="LatencyMilliseconds"/> after its watcher, reading
/// the probe every millisecond on a thread of its own, first saw the condition hold.
/// </summary>
public sealed record ChildDetected(double Seconds, double LatencyMilliseconds) : ChildEvent(Seconds);

/// <summary>
/// A phase of a <see cref="Ramp.RampCpu"/> child: how long it lasted, the samples its manager took and
/// the time on a core of the library's threads.
/// </summary>
public sealed record ChildPhase(double Seconds, string Phase, double WallSeconds, long Samples, double CpuMilliseconds) : ChildEvent(Seconds);

/// <summary>The child served requests for its whole run and ends normally.</summary>
public sealed record ChildFinished(double Seconds) : ChildEvent(Seconds);
