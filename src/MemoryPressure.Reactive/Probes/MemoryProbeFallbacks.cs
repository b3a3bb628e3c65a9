namespace MemoryPressure.Reactive;

/// <summary>
/// Says which figures a probe could not read from their first source and took from the next one.
/// </summary>
[Flags]
public enum MemoryProbeFallbacks
{
    /// <summary>Every figure came from its first source.</summary>
    None = 0,

    /// <summary>
    /// The resident set could not be read from the kernel (<c>/proc/self/statm</c>); it came from
    /// <see cref="Environment.WorkingSet"/>, which is slower and allocates.
    /// </summary>
    ResidentFromRuntime = 1,

    /// <summary>
    /// The machine's memory could not be read from the kernel (<c>/proc/meminfo</c>); total and
    /// available came from <see cref="GC.GetGCMemoryInfo()"/>, whose total follows the GC's own limits.
    /// </summary>
    SystemFromRuntime = 2,

    /// <summary>
    /// The process's memory cgroup could not be found or read; the limit came from the GC heap
    /// hard limit or physical memory.
    /// </summary>
    CgroupUnreadable = 4,

    /// <summary>
    /// The cgroup's <c>memory.stat</c> could not be read or parsed: the working set is the whole
    /// usage (page cache included), and on cgroup v1 the limits of the ancestors are not known.
    /// </summary>
    CgroupStatUnreadable = 8,

    /// <summary>
    /// The <c>memory.max</c> of a cgroup v2 ancestor could not be read or parsed: a limit set there is
    /// not seen.
    /// </summary>
    AncestorLimitUnreadable = 16,
}
