using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when the managed heap's headroom below the GC's hard limit is under a share of that limit:
/// <c>(GcHeapHardLimitBytes - ManagedHeapBytes) / GcHeapHardLimitBytes * 100 &lt; percent</c>.
/// Text form: <c>HeapRelative &lt; 20%</c>.
/// </summary>
/// <remarks>
/// In a container the GC caps its heap at 75% of the memory limit by default and throws
/// <see cref="OutOfMemoryException"/> at that cap, well before the kernel's limit: this condition
/// watches the cap. Never holds for a sample whose <see cref="MemorySample.GcHeapHardLimitBytes"/> is
/// 0 (the GC has no hard limit); holds whenever the heap is over it.
/// </remarks>
public sealed class HeapRelativeValue : MemoryCondition, IEquatable<HeapRelativeValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="percent">The threshold, a percentage in (0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside (0, 100] or NaN.</exception>
    public HeapRelativeValue(double percent) => Percent = Thresholds.Percent(percent, nameof(percent));

    /// <summary>Gets the threshold, a percentage in (0, 100].</summary>
    public double Percent { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.GcHeapHardLimitBytes > 0
        && (sample.GcHeapHardLimitBytes - Math.Max(sample.ManagedHeapBytes, 0)) * 100.0 / sample.GcHeapHardLimitBytes < Percent;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Heap(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        current.GcHeapHardLimitBytes > 0 && previous.GcHeapHardLimitBytes > 0
            ? Approach.Seconds(Approach.HeapHeadroom(previous), Approach.HeapHeadroom(current), current.GcHeapHardLimitBytes * Percent / 100, elapsedSeconds)
            : double.PositiveInfinity;

    /// <inheritdoc/>
    public bool Equals(HeapRelativeValue? other) => other is not null && other.Percent.Equals(Percent);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HeapRelativeValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(HeapRelativeValue), Percent);

    /// <inheritdoc/>
    public override string ToString() => $"HeapRelative < {ConditionText.Percent(Percent)}";
}
