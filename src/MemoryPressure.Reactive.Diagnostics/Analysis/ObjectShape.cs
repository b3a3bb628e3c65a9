namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>How big the instances of one type are, as the GC lays them out on a 64-bit heap.</summary>
/// <param name="BaseSize">The size of an instance without elements: object header and method table pointer included (the runtime's base size).</param>
/// <param name="ComponentSize">The size of one element of an array or string; 0 for other types.</param>
/// <param name="HasTerminator">Whether one more element than the length is allocated (the terminating NUL of a string).</param>
internal readonly record struct ObjectShape(uint BaseSize, uint ComponentSize, bool HasTerminator)
{
    /// <summary>The GC's allocation unit on a 64-bit heap: object sizes are rounded up to it.</summary>
    public const long Alignment = 8;

    /// <summary>The smallest object the GC allocates: header, method table pointer and one pointer-sized slot.</summary>
    public const long MinimumSize = 24;

    /// <summary>Gets the bytes the GC allocated for an instance with <paramref name="length"/> elements.</summary>
    /// <param name="length">The element count read from the object; ignored for types without elements.</param>
    /// <returns>The size rounded up to <see cref="Alignment"/>, and at least <see cref="MinimumSize"/>.</returns>
    public long AllocatedSize(uint length)
    {
        var size = (long)BaseSize;
        if (ComponentSize != 0)
        {
            size += ((long)length + (HasTerminator ? 1 : 0)) * ComponentSize;
        }

        return Math.Max(MinimumSize, (size + Alignment - 1) & ~(Alignment - 1));
    }
}
