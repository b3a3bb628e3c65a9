namespace MemoryPressure.Reactive.Limits;

/// <summary>The GC's heap hard limit as the manager follows a changed memory limit: read it, refresh it, make room for it.</summary>
internal interface IGcHeapLimit
{
    /// <summary>Reads the GC's heap hard limit in bytes; 0 when it has none. Allocates: call it rarely.</summary>
    /// <param name="cgroupLimitBytes">The process's cgroup limit, 0 for none.</param>
    long Read(long cgroupLimitBytes);

    /// <summary>Has the GC read its limits again.</summary>
    /// <exception cref="InvalidOperationException">The GC refused: it has committed more than the new cap.</exception>
    void Refresh();

    /// <summary>Collects fully, so that the heap commits as little as it can before a refresh is tried again.</summary>
    void Collect();
}
