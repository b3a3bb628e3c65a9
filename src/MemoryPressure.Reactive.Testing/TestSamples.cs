namespace MemoryPressure.Reactive.Testing;

/// <summary>Builds the samples a test needs, figure by figure, in bytes (write them with <see cref="MemoryUnits"/>: <c>80 * MemoryUnits.MB</c>).</summary>
/// <remarks>
/// Each method returns a new sample; the others are left as they were, so builders chain:
/// <c>TestSamples.Process(80 * MemoryUnits.MB, 100 * MemoryUnits.MB).WithHeap(40 * MemoryUnits.MB, 75 * MemoryUnits.MB)</c>.
/// </remarks>
public static class TestSamples
{
    /// <summary>A process in a memory cgroup: <paramref name="residentBytes"/> in use of a <paramref name="limitBytes"/> limit.</summary>
    /// <param name="residentBytes">The resident set, also the cgroup's usage and working set.</param>
    /// <param name="limitBytes">The cgroup's limit, also the process's limit.</param>
    /// <returns>The sample, with no heap or system figures and no timestamp.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative, or the limit is zero.</exception>
    public static MemorySample Process(long residentBytes, long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(residentBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        return new MemorySample
        {
            ProcessResidentBytes = residentBytes,
            ProcessLimitBytes = limitBytes,
            ProcessLimitSource = MemoryLimitSource.Cgroup,
            CgroupUsageBytes = residentBytes,
            CgroupWorkingSetBytes = residentBytes,
            CgroupLimitBytes = limitBytes,
        };
    }

    /// <summary>The same sample with a managed heap of <paramref name="heapBytes"/> under a GC heap hard limit of <paramref name="heapLimitBytes"/>.</summary>
    /// <param name="sample">The sample to start from.</param>
    /// <param name="heapBytes">The bytes in the GC heap.</param>
    /// <param name="heapLimitBytes">The GC's heap hard limit (75% of a cgroup's limit by default); 0 for none.</param>
    /// <returns>The new sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative.</exception>
    public static MemorySample WithHeap(this MemorySample sample, long heapBytes, long heapLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(heapBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(heapLimitBytes);
        return sample with { ManagedHeapBytes = heapBytes, GcHeapHardLimitBytes = heapLimitBytes };
    }

    /// <summary>The same sample on a machine with <paramref name="availableBytes"/> available of <paramref name="totalBytes"/>.</summary>
    /// <param name="sample">The sample to start from.</param>
    /// <param name="availableBytes">The memory the system has available.</param>
    /// <param name="totalBytes">The system's memory.</param>
    /// <returns>The new sample.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A figure is negative, or more is available than there is.</exception>
    public static MemorySample WithSystem(this MemorySample sample, long availableBytes, long totalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(availableBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(totalBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(availableBytes, totalBytes);
        return sample with { SystemAvailableBytes = availableBytes, SystemTotalBytes = totalBytes };
    }

    /// <summary>The same sample taken at <paramref name="timestamp"/>.</summary>
    /// <param name="sample">The sample to start from.</param>
    /// <param name="timestamp">When it was taken: the clock of dwell times and throttles.</param>
    /// <returns>The new sample.</returns>
    public static MemorySample At(this MemorySample sample, DateTimeOffset timestamp) => sample with { Timestamp = timestamp };
}
