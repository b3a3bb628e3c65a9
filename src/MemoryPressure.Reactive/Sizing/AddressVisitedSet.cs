using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// A visited set kept as a bitmap of heap addresses (<see cref="AddressBitmap"/>). Valid until the
/// next GC.
/// </summary>
/// <remarks>
/// Setting a bit touches no object and no object header, and a walk in allocation order sets bits
/// nearly in order: the bitmap of a 64 MB graph is 1 MB, read and written like a stream. The price
/// is that a compacting GC moves objects away from their bits, so <see cref="IsValid"/> turns false
/// as soon as any GC has run since the set was created (every collection increments the
/// generation 0 count), and the walk using it starts again.
/// </remarks>
internal struct AddressVisitedSet : IVisitedSet
{
    private readonly AddressBitmap _bitmap;
    private readonly Func<int> _collectionCount;
    private readonly int _epoch;
    private nint _lastChunk;
    private ulong[] _lastWords;
    private int _lastOffset;

    /// <summary>Clears <paramref name="bitmap"/> and starts a set valid until the GC count <paramref name="collectionCount"/> reads changes.</summary>
    public AddressVisitedSet(AddressBitmap bitmap, Func<int> collectionCount)
    {
        bitmap.Clear();
        _bitmap = bitmap;
        _collectionCount = collectionCount;
        _epoch = collectionCount();
        _lastChunk = -1;
        _lastWords = [];
    }

    /// <inheritdoc/>
    public readonly bool IsValid => _collectionCount() == _epoch;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(object value)
    {
        var address = ObjectLayout.AddressOf(value);
        var chunk = (nint)(address >> AddressBitmap.ChunkShift);
        if (chunk != _lastChunk)
        {
            _lastWords = _bitmap.WordsOf(chunk, out _lastOffset);
            _lastChunk = chunk;
        }

        var bit = (int)(address >> AddressBitmap.AlignmentShift) & (AddressBitmap.BitsPerChunk - 1);
        ref var word = ref _lastWords[_lastOffset + (bit >> 6)];
        var mask = 1UL << bit;
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        return true;
    }
}
