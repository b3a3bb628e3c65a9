namespace MemoryPressure.Reactive;

/// <summary>What the manager did about a limit that changed while the process ran (<see cref="MemoryLimitChange"/>).</summary>
public enum MemoryLimitResponse
{
    /// <summary>
    /// Nothing was needed: the GC's own cap changed (the application refreshed it, or a refusal was
    /// retried with success), or <c>memory.high</c> changed, which the GC does not read.
    /// </summary>
    None = 0,

    /// <summary>Nothing was done: <see cref="MemoryPressureOptions.FollowLimitChanges"/> is off.</summary>
    NotFollowed,

    /// <summary>
    /// The GC was told (<see cref="GC.RefreshMemoryLimit"/>): its cap follows the new limit, as it would
    /// have at start-up (<see cref="MemoryLimitChange.GcHeapHardLimitBytes"/>).
    /// </summary>
    GcLimitRefreshed,

    /// <summary>
    /// The GC refused the new limit (it has committed more than the new cap), also after a full
    /// collection: the refresh is retried at later samples, and reported on
    /// <see cref="MemoryPressureManager.Errors"/> if it never succeeds.
    /// </summary>
    GcLimitRefused,
}
