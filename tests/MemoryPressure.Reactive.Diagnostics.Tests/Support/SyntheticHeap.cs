using System.Buffers.Binary;
using MemoryPressure.Reactive.Diagnostics.Analysis;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>
/// A made-up 64-bit GC heap laid out in a byte array: objects written back to back as the GC lays
/// them out, read back through <see cref="IHeapMemory"/>, with every read remembered.
/// </summary>
internal sealed class SyntheticHeap : IHeapMemory
{
    public const ulong Base = 0x10000;

    private readonly byte[] _memory = new byte[1 << 16];
    private readonly Dictionary<ulong, ObjectShape> _shapes = [];

    public ulong End { get; private set; } = Base;

    /// <summary>Gets or sets the address past which the "dump" holds no memory.</summary>
    public ulong Readable { get; set; } = ulong.MaxValue;

    public List<int> ReadSizes { get; } = [];

    public ulong Define(ulong methodTable, ObjectShape shape)
    {
        _shapes[methodTable] = shape;
        return methodTable;
    }

    public ObjectShape? ShapeOf(ulong methodTable) => _shapes.TryGetValue(methodTable, out var shape) ? shape : null;

    /// <summary>Writes an object at the end of the heap and returns its address.</summary>
    public ulong Add(ulong methodTable, uint length = 0, ulong flagBits = 0)
    {
        var address = End;
        var offset = (int)(address - Base);
        BinaryPrimitives.WriteUInt64LittleEndian(_memory.AsSpan(offset), methodTable | flagBits);
        BinaryPrimitives.WriteUInt32LittleEndian(_memory.AsSpan(offset + 8), length);
        End += (ulong)_shapes[methodTable].AllocatedSize(length);
        return address;
    }

    /// <summary>Leaves a gap of garbage (as an allocation context's unused end is) and returns its start.</summary>
    public ulong Gap(int bytes)
    {
        var start = End;
        _memory.AsSpan((int)(start - Base), bytes).Fill(0xAB);
        End += (ulong)bytes;
        return start;
    }

    public int Read(ulong address, Span<byte> buffer)
    {
        ReadSizes.Add(buffer.Length);
        if (address >= Readable)
        {
            return 0;
        }

        var count = (int)Math.Min((ulong)buffer.Length, Readable - address);
        _memory.AsSpan((int)(address - Base), count).CopyTo(buffer);
        return count;
    }
}
