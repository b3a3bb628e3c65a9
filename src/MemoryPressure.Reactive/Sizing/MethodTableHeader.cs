namespace MemoryPressure.Reactive.Sizing;

/// <summary>The first two words of a MethodTable, the same in CoreCLR and NativeAOT.</summary>
internal struct MethodTableHeader
{
    /// <summary>Flags; the low 16 bits are the component size of arrays and strings.</summary>
    public uint Flags;

    /// <summary>The size of an instance (of an empty array or string), object header included.</summary>
    public uint BaseSize;
}
