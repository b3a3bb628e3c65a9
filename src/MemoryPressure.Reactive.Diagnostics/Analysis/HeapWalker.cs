using System.Buffers.Binary;

namespace MemoryPressure.Reactive.Diagnostics.Analysis;

/// <summary>
/// Walks the objects of a dumped 64-bit GC heap and totals them per type, reading the heap in large
/// chunks into one reused buffer and keeping nothing per object.
/// </summary>
/// <remarks>
/// <para>
/// Objects are laid out back to back: a method table pointer, for arrays and strings a 32-bit length,
/// then the fields; the next object starts at this one's size rounded up to 8 bytes. The gaps the GC
/// leaves are formatted as <c>Free</c> objects, except the unused end of each thread's allocation
/// context, which is skipped to the context's limit plus a minimum object, as the GC itself does.
/// </para>
/// <para>
/// A method table the runtime does not know, a chunk the dump lacks, or an object that would run past
/// its range ends the walk of that range; the rest of the range is counted in <see cref="UnreadableBytes"/>.
/// </para>
/// </remarks>
internal sealed class HeapWalker
{
    /// <summary>The bytes read at a time from small-object ranges.</summary>
    public const int DefaultBufferSize = 1 << 20;

    // The method table pointer and the length of an array or string: all the walker reads of an object.
    private const int ObjectPrefixBytes = 12;

    private readonly IHeapMemory _memory;
    private readonly Func<ulong, ObjectShape?> _shapeOf;
    private readonly (ulong Start, ulong End)[] _allocationContexts;
    private readonly byte[] _buffer;
    private readonly long[] _areaBytes = new long[Enum.GetValues<HeapArea>().Length];

    /// <param name="memory">The dumped memory.</param>
    /// <param name="shapeOf">Gives the shape of a method table, or <see langword="null"/> when it is not a valid one.</param>
    /// <param name="allocationContexts">The allocation contexts (start, limit) of the dumped process.</param>
    /// <param name="bufferSize">The bytes read at a time.</param>
    public HeapWalker(IHeapMemory memory, Func<ulong, ObjectShape?> shapeOf, IEnumerable<(ulong Start, ulong End)> allocationContexts, int bufferSize = DefaultBufferSize)
    {
        _memory = memory;
        _shapeOf = shapeOf;
        _allocationContexts = [.. allocationContexts.Where(c => c.Start != 0 && c.Start < c.End).OrderBy(c => c.Start)];
        _buffer = new byte[Math.Max(bufferSize, ObjectPrefixBytes)];
    }

    public TypeTotals Totals { get; } = new();

    public long UnreadableBytes { get; private set; }

    public long BytesIn(HeapArea area) => _areaBytes[(int)area];

    public void Walk(HeapRange range, CancellationToken cancellationToken)
    {
        var area = (int)range.Area;
        var skipsContexts = range.Area != HeapArea.LargeObjects;
        var nextContext = FirstContextAtOrAfter(range.Start);
        ulong bufferStart = 0, bufferEnd = 0;
        TypeTally? last = null;
        var address = range.Start;
        while (address < range.End)
        {
            if (address < bufferStart || address + ObjectPrefixBytes > bufferEnd)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // A large object is read for its prefix alone: its body is never looked at.
                var wanted = range.Area == HeapArea.LargeObjects ? ObjectPrefixBytes : (int)Math.Min((ulong)_buffer.Length, range.End - address);
                var read = wanted < ObjectPrefixBytes ? 0 : _memory.Read(address, _buffer.AsSpan(0, wanted));
                if (read < ObjectPrefixBytes)
                {
                    break;
                }

                bufferStart = address;
                bufferEnd = address + (ulong)read;
            }

            var prefix = _buffer.AsSpan((int)(address - bufferStart), ObjectPrefixBytes);

            // The low bits are the GC's mark and pin flags, never part of the pointer.
            var methodTable = BinaryPrimitives.ReadUInt64LittleEndian(prefix) & ~7UL;
            var tally = last is not null && last.MethodTable == methodTable ? last : Totals.Find(methodTable) ?? NewTally(methodTable);
            if (tally is null)
            {
                break;
            }

            var length = tally.Shape.ComponentSize == 0 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            var size = (ulong)tally.Shape.AllocatedSize(length);
            if (size > range.End - address)
            {
                break;
            }

            tally.Add((long)size);
            _areaBytes[area] += (long)size;
            last = tally;
            address += size;
            if (skipsContexts)
            {
                address = SkipAllocationContexts(address, ref nextContext);
            }
        }

        if (address < range.End)
        {
            UnreadableBytes += (long)(range.End - address);
        }
    }

    private TypeTally? NewTally(ulong methodTable) =>
        _shapeOf(methodTable) is { } shape ? Totals.Add(methodTable, shape) : null;

    private int FirstContextAtOrAfter(ulong address)
    {
        int low = 0, high = _allocationContexts.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_allocationContexts[middle].Start < address)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private ulong SkipAllocationContexts(ulong address, ref int next)
    {
        while (next < _allocationContexts.Length && _allocationContexts[next].Start <= address)
        {
            if (_allocationContexts[next].Start == address)
            {
                address = _allocationContexts[next].End + ObjectShape.MinimumSize;
            }

            next++;
        }

        return address;
    }
}
