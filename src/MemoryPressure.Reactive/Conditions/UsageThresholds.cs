namespace MemoryPressure.Reactive.Conditions;

/// <summary>
/// Where conditions can change their truth as the process's usage moves, collected through
/// <see cref="MemoryCondition.AddUsageThresholds"/>: headroom under the process limit, in bytes and in
/// percent of the limit. The ladder turns them into the kernel's usage thresholds.
/// </summary>
/// <remarks>
/// A condition kind that compares usage with a limit adds its own thresholds; a composition adds
/// those of its parts (it can only change where one of them does); the rest say they depend on
/// something else, and are caught by polling.
/// </remarks>
internal sealed class UsageThresholds
{
    /// <summary>Gets the headroom values in bytes at which a part flips: it holds when the limit less the usage is below one.</summary>
    public SortedSet<long> HeadroomBytes { get; } = [];

    /// <summary>Gets the headroom values in percent of the limit at which a part flips.</summary>
    public SortedSet<double> HeadroomPercents { get; } = [];
}

/// <summary>What the parts of a condition depend on.</summary>
[Flags]
internal enum UsageParts
{
    /// <summary>No part at all (an empty composition).</summary>
    None = 0,

    /// <summary>Some part flips only where it added a usage threshold.</summary>
    Usage = 1,

    /// <summary>Some part depends on what no usage figure shows (the machine's memory, the application's state).</summary>
    Other = 2,
}
