using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <summary>
/// Holds when the managed heap's headroom below the GC's hard limit is under a number of bytes:
/// <c>GcHeapHardLimitBytes - ManagedHeapBytes &lt; bytes</c>. Text form: <c>HeapAbsolute &lt; 64MB</c>.
/// </summary>
/// <remarks>
/// In a container the GC caps its heap at 75% of the memory limit by default and throws
/// <see cref="OutOfMemoryException"/> at that cap, well before the kernel's limit: this condition
/// watches the cap. Never holds for a sample whose <see cref="MemorySample.GcHeapHardLimitBytes"/> is
/// 0 (the GC has no hard limit); holds whenever the heap is over it.
/// </remarks>
public sealed class HeapAbsoluteValue : MemoryCondition, IEquatable<HeapAbsoluteValue>
{
    /// <summary>Initializes the condition.</summary>
    /// <param name="bytes">The threshold in bytes; 0 or more (see <see cref="MemoryUnits"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public HeapAbsoluteValue(long bytes) => Bytes = Thresholds.Bytes(bytes, nameof(bytes));

    /// <summary>Gets the threshold in bytes.</summary>
    public long Bytes { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool CanFire(MemorySample sample) =>
        sample.GcHeapHardLimitBytes > 0 && sample.GcHeapHardLimitBytes - Math.Max(sample.ManagedHeapBytes, 0) < Bytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override MemoryHeadroom Headroom(in MemorySample sample) => Approach.Heap(sample);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal override double SecondsToFire(in MemorySample previous, in MemorySample current, double elapsedSeconds) =>
        current.GcHeapHardLimitBytes > 0 && previous.GcHeapHardLimitBytes > 0
            ? Approach.Seconds(Approach.HeapHeadroom(previous), Approach.HeapHeadroom(current), Bytes, elapsedSeconds)
            : double.PositiveInfinity;

    /// <inheritdoc/>
    public bool Equals(HeapAbsoluteValue? other) => other is not null && other.Bytes == Bytes;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HeapAbsoluteValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(typeof(HeapAbsoluteValue), Bytes);

    /// <inheritdoc/>
    public override string ToString() => $"HeapAbsolute < {ConditionText.Bytes(Bytes)}";
}
