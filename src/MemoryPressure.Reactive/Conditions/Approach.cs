using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Conditions;

/// <summary>
/// How soon a condition will hold at the pace memory moves: the figure a leaf condition reads is a
/// headroom (bytes left under a limit, or available), and the condition holds once it is under a
/// threshold; from two samples, its slope says when that happens.
/// </summary>
internal static class Approach
{
    /// <summary>Gets the seconds until <paramref name="headroom"/> falls under <paramref name="threshold"/> at the slope since <paramref name="previousHeadroom"/>.</summary>
    /// <param name="previousHeadroom">The headroom in the previous sample.</param>
    /// <param name="headroom">The headroom now.</param>
    /// <param name="threshold">The headroom under which the condition holds.</param>
    /// <param name="elapsedSeconds">The time between the two samples.</param>
    /// <returns>0 when it is under already; <see cref="double.PositiveInfinity"/> when it is not shrinking (or the time did not move forward).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Seconds(double previousHeadroom, double headroom, double threshold, double elapsedSeconds)
    {
        if (headroom < threshold)
        {
            return 0;
        }

        if (elapsedSeconds <= 0)
        {
            return double.PositiveInfinity;
        }

        var shrinkPerSecond = (previousHeadroom - headroom) / elapsedSeconds;
        return shrinkPerSecond > 0 ? (headroom - threshold) / shrinkPerSecond : double.PositiveInfinity;
    }

    /// <summary>The headroom under the process's limit, for a sample whose limit is known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ProcessHeadroom(in MemorySample sample) => sample.ProcessLimitBytes - (double)Math.Max(sample.ProcessResidentBytes, 0);

    /// <summary>The headroom under the GC's heap hard limit, for a sample that has one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double HeapHeadroom(in MemorySample sample) => sample.GcHeapHardLimitBytes - (double)Math.Max(sample.ManagedHeapBytes, 0);

    /// <summary>The room under the process's limit, as the <c>Local*</c> conditions read it; no limit when it is unknown.</summary>
    public static MemoryHeadroom Process(in MemorySample sample) =>
        sample.ProcessLimitBytes > 0 ? new(sample.ProcessLimitSource, sample.ProcessLimitBytes, (long)ProcessHeadroom(sample)) : default;

    /// <summary>The room under the GC's heap hard limit, as the <c>Heap*</c> conditions read it; no limit when the GC has none.</summary>
    public static MemoryHeadroom Heap(in MemorySample sample) =>
        sample.GcHeapHardLimitBytes > 0 ? new(MemoryLimitSource.GcHeapHardLimit, sample.GcHeapHardLimitBytes, (long)HeapHeadroom(sample)) : default;

    /// <summary>The machine's available memory under its physical memory, as the <c>Global*</c> conditions read it.</summary>
    public static MemoryHeadroom System(in MemorySample sample) =>
        sample.SystemTotalBytes > 0 ? new(MemoryLimitSource.PhysicalMemory, sample.SystemTotalBytes, (long)SystemAvailable(sample)) : default;

    /// <summary>The tightest of several conditions' figures: the least room as a share of its limit.</summary>
    public static MemoryHeadroom Tightest(ReadOnlySpan<MemoryCondition> conditions, in MemorySample sample)
    {
        MemoryHeadroom tightest = default;
        foreach (var condition in conditions)
        {
            var headroom = condition.Headroom(sample);
            if (headroom.LimitBytes > 0 && (tightest.LimitBytes <= 0 || headroom.HeadroomPercent < tightest.HeadroomPercent))
            {
                tightest = headroom;
            }
        }

        return tightest;
    }

    /// <summary>The memory the system has available.</summary>
    public static double SystemAvailable(in MemorySample sample) => Math.Max(sample.SystemAvailableBytes, 0);
}
