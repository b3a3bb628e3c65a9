using MemoryPressure.Reactive.Sizing;

namespace MemoryPressure.Reactive;

/// <summary>The objects of one type a walk counted and the bytes they take.</summary>
/// <param name="Type">The exact runtime type of the objects.</param>
/// <param name="Bytes">The bytes the GC allocated for them, together.</param>
/// <param name="ObjectCount">How many distinct objects of the type were counted.</param>
public readonly record struct TypeSize(Type Type, long Bytes, long ObjectCount)
{
    /// <summary>
    /// Gets the type's name in the C# form heap breakdowns print (and the runtime's own diagnostics):
    /// <c>System.Collections.Generic.Dictionary&lt;System.Int32, Order&gt;+Entry[]</c>.
    /// </summary>
    public string TypeName => TypeNames.Format(Type);
}
