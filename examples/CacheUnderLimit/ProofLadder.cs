using MemoryPressure.Reactive;

namespace CacheUnderLimit;

/// <summary>
/// The ladder of mode (c). Its first level is also the threshold every mode is measured against:
/// the time from crossing it to the first trim.
/// </summary>
/// <remarks>
/// Inside a memory cgroup the GC caps its heap at 75% of the limit by default, and a managed cache
/// dies with <see cref="OutOfMemoryException"/> near that point, well before the kernel would act:
/// the upper levels watch the heap's headroom under that cap as well as the process's under the limit.
/// </remarks>
public static class ProofLadder
{
    /// <summary>Gets how often mode (c) checks memory.</summary>
    public static TimeSpan CheckInterval { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Creates the ladder: compact a tenth, then a quarter and collect, then half and collect (see <see cref="Child.ReactiveCompactedCache"/>).</summary>
    public static SeverityLadder Create() => new(
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 50%")) { Name = "compact a tenth" },
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 40% | HeapRelative < 30%")) { Name = "compact a quarter, collect" },
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 30% | HeapRelative < 20%")) { Name = "compact half, collect" });
}
