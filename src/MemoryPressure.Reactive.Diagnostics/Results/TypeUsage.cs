namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>What the instances of one type take on the managed heap, as found in a dump.</summary>
/// <param name="TypeName">The type's full name as the runtime reports it (<c>System.Byte[]</c>, <c>Free</c> for free space between objects).</param>
/// <param name="Count">How many instances of the type the heap held.</param>
/// <param name="Bytes">
/// The bytes the GC allocated for them: each object's size (its header and method table pointer
/// included) rounded up to the 8-byte allocation unit, and at least 24 bytes, as the GC lays them out.
/// </param>
/// <param name="Share">The fraction of all walked heap bytes they take, from 0 to 1.</param>
public readonly record struct TypeUsage(string TypeName, long Count, long Bytes, double Share);
