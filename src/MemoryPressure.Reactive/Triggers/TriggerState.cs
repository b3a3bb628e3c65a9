namespace MemoryPressure.Reactive;

/// <summary>Where a trigger source stands: see <see cref="MemoryPressureManager.Triggers"/>.</summary>
public enum TriggerState
{
    /// <summary>Turned off by <see cref="MemoryPressureTriggers"/>, or not applicable to how the manager gets its samples.</summary>
    Off = 0,

    /// <summary>Wanted, but this machine or process cannot provide it (not Linux, no file, no permission); polling goes on without it.</summary>
    Unavailable = 1,

    /// <summary>Running: its signals make the manager sample.</summary>
    Active = 2,

    /// <summary>Was running and stopped (its cgroup went away, the kernel refused it); reported on <see cref="MemoryPressureManager.Errors"/>, polling goes on.</summary>
    Failed = 3,
}
