namespace CacheUnderLimit.Ramp;

/// <summary>How a ramp child is guarded.</summary>
public enum RampGuard
{
    /// <summary>No manager at all: the control, which must die.</summary>
    None,

    /// <summary>Entering the level empties the cache.</summary>
    Empty,

    /// <summary>Entering the level empties the cache, then forces a full collection (<c>InstallForceGcCollect(1)</c>).</summary>
    EmptyAndCollect,
}
