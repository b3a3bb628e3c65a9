using System.Globalization;

namespace MemoryPressure.Reactive;

/// <summary>What <see cref="ObjectSize.GetSize(object?, ObjectSizeOptions)"/> counted.</summary>
public sealed class ObjectSizeResult
{
    internal ObjectSizeResult(long bytes, long objectCount, ObjectSizeStopReason stopReason, IReadOnlyList<TypeSize> topTypes)
    {
        Bytes = bytes;
        ObjectCount = objectCount;
        StopReason = stopReason;
        TopTypes = topTypes;
    }

    /// <summary>Gets the bytes the GC allocated for the objects counted, together.</summary>
    public long Bytes { get; }

    /// <summary>Gets how many distinct objects were counted.</summary>
    public long ObjectCount { get; }

    /// <summary>Gets the limit that stopped the walk, or <see cref="ObjectSizeStopReason.None"/> when the whole graph was counted.</summary>
    public ObjectSizeStopReason StopReason { get; }

    /// <summary>Gets whether a limit stopped the walk before it had counted the whole graph.</summary>
    /// <remarks>When it did, <see cref="Bytes"/> and <see cref="ObjectCount"/> are a lower bound of the graph's size.</remarks>
    public bool StoppedEarly => StopReason != ObjectSizeStopReason.None;

    /// <summary>Gets the types that take the most bytes, largest first, as many as <see cref="ObjectSizeOptions.TopTypes"/> asked for.</summary>
    /// <remarks>Ties are ordered by full type name. Excluded types never appear.</remarks>
    public IReadOnlyList<TypeSize> TopTypes { get; }

    /// <summary>Returns the totals, with digit separators, and the top types when there are any.</summary>
    /// <returns>For example <c>10,480 bytes in 9 objects; largest: System.Byte[] 10,176 bytes in 2 objects, ...</c></returns>
    public override string ToString()
    {
        var totals = StoppedEarly
            ? string.Create(CultureInfo.InvariantCulture, $"at least {Bytes:N0} bytes in {ObjectCount:N0} objects (stopped at {StopReason})")
            : string.Create(CultureInfo.InvariantCulture, $"{Bytes:N0} bytes in {ObjectCount:N0} objects");
        return TopTypes.Count == 0
            ? totals
            : $"{totals}; largest: {string.Join(", ", TopTypes.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.TypeName} {t.Bytes:N0} bytes in {t.ObjectCount:N0} objects")))}";
    }
}
