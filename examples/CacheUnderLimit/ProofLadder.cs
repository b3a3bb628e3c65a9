using MemoryPressure.Reactive;

namespace CacheUnderLimit;

/// <summary>
/// The ladder of mode (c). Its first level is also the threshold every mode is measured against:
/// the time from crossing it to the first trim.
/// </summary>
/// <remarks>
/// Inside a memory cgroup the GC caps its heap at 75% of the limit by default, and a managed cache
/// dies with <see cref="OutOfMemoryException"/> near that point, well before the kernel would act:
/// the top level (30% headroom left) stays below it.
/// </remarks>
public static class ProofLadder
{
    /// <summary>Gets how often mode (c) checks memory.</summary>
    public static TimeSpan CheckInterval { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Creates the ladder: compact a quarter, then half, then nearly all and collect.</summary>
    public static SeverityLadder Create() => new(
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 50%")) { Name = "compact a quarter" },
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 40%")) { Name = "compact half" },
        new LadderLevel(MemoryCondition.Parse("LocalRelative < 30%")) { Name = "compact 90%, collect" });
}
