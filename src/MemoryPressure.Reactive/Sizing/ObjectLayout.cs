using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// Reads the runtime's own description of an object: the size the GC allocated for it and where
/// its references are, from the object's MethodTable and the GC descriptor stored just below it.
/// </summary>
/// <remarks>
/// <para>
/// Layout read (CoreCLR <c>methodtable.h</c> and <c>gcdesc.h</c>, the same in NativeAOT's MethodTable):
/// an object starts with its MethodTable pointer, preceded by an object header of one pointer;
/// the MethodTable starts with a 32-bit flags word (the low 16 bits are the component size of
/// arrays and strings, <c>0x80000000</c> says there is one, <c>0x01000000</c> says the object
/// holds references) and the 32-bit base size, header included. Arrays and strings keep their
/// 32-bit component count right after the MethodTable pointer.
/// </para>
/// <para>
/// The GC descriptor grows downwards from the MethodTable: the pointer-sized word just below it
/// is the series count. A positive count is followed (further down) by that many pairs of
/// (series size minus the object's base size, start offset); a negative count marks an array of
/// structs: one start offset, then <c>-count</c> items of (pointer count, bytes to skip) that
/// repeat for each element. This is exactly what the GC walks when it marks, so the references
/// found are the GC's: fields, fields of embedded structs, array elements, elements' fields.
/// </para>
/// <para>
/// Only the MethodTable and the descriptor (immutable runtime data, never moved) are read through
/// raw pointers. The object itself is read through managed references, so a GC may move it at
/// any point, and a reference slot is read as an object reference: a slot another thread writes
/// concurrently yields the old or the new object, never garbage.
/// </para>
/// </remarks>
internal static unsafe class ObjectLayout
{
    private const uint HasComponentSizeFlag = 0x80000000;
    private const uint ContainsReferencesFlag = 0x01000000;

    /// <summary>The smallest object the GC allocates: header, MethodTable pointer and one slot.</summary>
    public static readonly int MinimumObjectSize = 3 * IntPtr.Size;

    /// <summary>Gets the first byte after the MethodTable pointer: the first field, or an array's or string's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref byte Data(object value) => ref Unsafe.As<RawData>(value).Data;

    /// <summary>Gets the MethodTable of an object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static MethodTableHeader* MethodTableOf(object value) =>
        (MethodTableHeader*)Unsafe.Add(ref Unsafe.As<byte, nint>(ref Data(value)), -1);

    /// <summary>Gets whether objects of this MethodTable hold references (and so have a GC descriptor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ContainsReferences(MethodTableHeader* methodTable) => (methodTable->Flags & ContainsReferencesFlag) != 0;

    /// <summary>
    /// Gets the size of the object as the runtime records it, before alignment: the base size plus,
    /// for arrays and strings, the component size times the length (what ClrMD reports).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nuint UnalignedSize(object value, MethodTableHeader* methodTable)
    {
        nuint size = methodTable->BaseSize;
        var flags = methodTable->Flags;
        if ((flags & HasComponentSizeFlag) != 0)
        {
            size += (nuint)(ushort)flags * Unsafe.As<byte, uint>(ref Data(value));
        }

        return size;
    }

    /// <summary>Gets the bytes the GC allocated for the object: the unaligned size rounded up to a pointer, at least <see cref="MinimumObjectSize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nuint AllocatedSize(object value, MethodTableHeader* methodTable)
    {
        var size = (UnalignedSize(value, methodTable) + (nuint)(IntPtr.Size - 1)) & ~(nuint)(IntPtr.Size - 1);
        return Math.Max(size, (nuint)MinimumObjectSize);
    }

    /// <summary>Gets the bytes the GC allocated for the object.</summary>
    public static long AllocatedSize(object value) => (long)AllocatedSize(value, MethodTableOf(value));

    /// <summary>Gets whether objects of this MethodTable are arrays or strings, whose size grows with their length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasComponentSize(MethodTableHeader* methodTable) => (methodTable->Flags & HasComponentSizeFlag) != 0;

    /// <summary>Gets the size of one element of an array (or character of a string).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nint ComponentSize(MethodTableHeader* methodTable) => (ushort)methodTable->Flags;

    /// <summary>
    /// Reads one item of the GC descriptor of an array of structs: how many references in a row,
    /// then how many bytes to skip to the next run. Item 0 is just below the MethodTable's first
    /// series slot; the following items go downwards, so <paramref name="index"/> is 0, -1, -2...
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReadRepeatingItem(byte* items, nint index, out nint references, out nint skip)
    {
        // val_serie_item: two half-pointer integers (pointer count, bytes to skip), items going downwards.
        if (IntPtr.Size == 8)
        {
            var item = (uint*)(items + (index * 8));
            references = (nint)item[0];
            skip = (nint)item[1];
        }
        else
        {
            var item = (ushort*)(items + (index * 4));
            references = item[0];
            skip = item[1];
        }
    }

    /// <summary>Gets the address of an object's data, to key it by; valid only until the next GC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static nuint AddressOf(object value) => (nuint)Unsafe.AsPointer(ref Data(value));

    /// <summary>
    /// Gets whether this runtime lays objects out as read here: an object starts with its type's
    /// handle, as in CoreCLR and NativeAOT (a Mono object starts with a vtable, not its type's handle),
    /// and the sizes and GC descriptors of a few known shapes read as they must.
    /// </summary>
    /// <remarks>
    /// Both tests read a few words of runtime data and run none of the walk, so that a first measure
    /// compiles only the scans its own graph needs: walking known graphs here compiled every scan,
    /// 2.3 ms of a cold first call, and looking up a Mono-only type by name cost 7 ms.
    /// </remarks>
    public static bool IsSupported => SupportCheck.Result;

    private static class SupportCheck
    {
        public static readonly bool Result = ObjectsStartWithTheirTypeHandle() && KnownShapesReadRight();

        private static bool ObjectsStartWithTheirTypeHandle() =>
            (nint)MethodTableOf(new RawData()) == typeof(RawData).TypeHandle.Value
            && (nint)MethodTableOf(string.Empty) == typeof(string).TypeHandle.Value;

        /// <summary>
        /// Reads what the walk reads, on shapes whose answers are known: sizes, whether references are
        /// held, and the GC descriptors of an object with one reference field, an array of references and
        /// an array of structs holding a reference (the runtime lays a struct's references first).
        /// </summary>
        private static bool KnownShapesReadRight()
        {
            nint pointer = IntPtr.Size;
            var box = new StrongBox<object?>();
            var references = new object?[3];
            var pairs = new KeyValuePair<object?, int>[2];
            return IsLeaf(new object(), 3 * pointer)
                && IsLeaf(string.Empty, Align((2 * pointer) + 6))
                && IsLeaf(new byte[100], Align((3 * pointer) + 100))
                && HoldsOneSeries(box, 3 * pointer, start: pointer, references: 1)
                && HoldsOneSeries(references, 6 * pointer, start: 2 * pointer, references: 3)
                && HoldsRepeatingReference(pairs, 7 * pointer, start: 2 * pointer, skip: pointer);

            nint Align(nint size) => (size + pointer - 1) & ~(pointer - 1);
        }

        private static bool IsLeaf(object value, nint size) =>
            (nint)AllocatedSize(value, MethodTableOf(value)) == size && !ContainsReferences(MethodTableOf(value));

        // A positive series count: (series size minus the base size, start offset) pairs, going down.
        private static bool HoldsOneSeries(object value, nint size, nint start, nint references)
        {
            var methodTable = MethodTableOf(value);
            var descriptor = (nint*)methodTable;
            return (nint)AllocatedSize(value, methodTable) == size
                && ContainsReferences(methodTable)
                && descriptor[-1] == 1
                && descriptor[-2] == start
                && descriptor[-3] + (nint)UnalignedSize(value, methodTable) == references * IntPtr.Size;
        }

        // A negative series count: one start offset, then -count (references, skip) items, going down.
        private static bool HoldsRepeatingReference(Array array, nint size, nint start, nint skip)
        {
            var methodTable = MethodTableOf(array);
            var descriptor = (nint*)methodTable;
            ReadRepeatingItem((byte*)(descriptor - 3), 0, out var references, out var itemSkip);
            return (nint)AllocatedSize(array, methodTable) == size
                && ContainsReferences(methodTable)
                && descriptor[-1] == -1
                && descriptor[-2] == start
                && references == 1
                && itemSkip == skip;
        }
    }

    private sealed class RawData
    {
        public byte Data;
    }
}
