using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// A visited set kept as a bitmap of heap addresses: one bit per pointer-aligned address, in chunks
/// of 4 KB of address space created as the walk reaches them. Valid until the next GC.
/// </summary>
/// <remarks>
/// <para>
/// Setting a bit touches no object and no object header, and a walk in allocation order sets bits
/// nearly in order: the bitmap of a 64 MB graph is 1 MB, read and written like a stream. The
/// price is that a compacting GC moves objects away from their bits, so <see cref="IsValid"/>
/// turns false as soon as any GC has run since the set was created (every collection increments
/// the generation 0 count), and the walk using it starts again.
/// </para>
/// <para>A chunk costs 64 bytes of bitmap per 4 KB of heap reached, so memory is bounded by both the heap span and 64 bytes per object.</para>
/// </remarks>
internal struct AddressVisitedSet : IVisitedSet
{
    private const int ChunkShift = 12;
    private static readonly int AlignmentShift = IntPtr.Size == 8 ? 3 : 2;
    private static readonly int BitsPerChunk = (1 << ChunkShift) >> AlignmentShift;
    private static readonly int WordsPerChunk = BitsPerChunk / 64;

    private readonly Func<int> _collectionCount;
    private readonly int _epoch;
    private nint[] _chunkKeys;
    private int[] _chunkWords;
    private int _chunkCount;
    private ulong[] _words;
    private int _wordsUsed;
    private nint _lastChunk;
    private int _lastWords;

    /// <summary>Creates an empty set, valid until the GC count <paramref name="collectionCount"/> reads changes.</summary>
    public AddressVisitedSet(Func<int> collectionCount)
    {
        _collectionCount = collectionCount;
        _epoch = collectionCount();
        _chunkKeys = new nint[16];
        _chunkWords = new int[16];
        _words = new ulong[4 * WordsPerChunk];
        _lastChunk = -1;
    }

    /// <inheritdoc/>
    public readonly bool IsValid => _collectionCount() == _epoch;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(object value)
    {
        var address = ObjectLayout.AddressOf(value);
        var chunk = (nint)(address >> ChunkShift);
        if (chunk != _lastChunk)
        {
            _lastWords = WordsOf(chunk);
            _lastChunk = chunk;
        }

        var bit = (int)(address >> AlignmentShift) & (BitsPerChunk - 1);
        ref var word = ref _words[_lastWords + (bit >> 6)];
        var mask = 1UL << bit;
        if ((word & mask) != 0)
        {
            return false;
        }

        word |= mask;
        return true;
    }

    private int WordsOf(nint chunk)
    {
        // Chunk numbers are stored plus one so that 0 marks an empty slot.
        var key = chunk + 1;
        var mask = _chunkKeys.Length - 1;
        var index = Spread(key) & mask;
        while (_chunkKeys[index] is var existing && existing != 0)
        {
            if (existing == key)
            {
                return _chunkWords[index];
            }

            index = (index + 1) & mask;
        }

        if (_wordsUsed == _words.Length)
        {
            Array.Resize(ref _words, _words.Length * 2);
        }

        var words = _wordsUsed;
        _wordsUsed += WordsPerChunk;
        _chunkKeys[index] = key;
        _chunkWords[index] = words;
        if (++_chunkCount > _chunkKeys.Length / 2)
        {
            GrowChunks();
        }

        return words;
    }

    private void GrowChunks()
    {
        var keys = new nint[_chunkKeys.Length * 2];
        var words = new int[keys.Length];
        var mask = keys.Length - 1;
        for (var i = 0; i < _chunkKeys.Length; i++)
        {
            if (_chunkKeys[i] is var key && key != 0)
            {
                var index = Spread(key) & mask;
                while (keys[index] != 0)
                {
                    index = (index + 1) & mask;
                }

                keys[index] = key;
                words[index] = _chunkWords[i];
            }
        }

        _chunkKeys = keys;
        _chunkWords = words;
    }

    private static int Spread(nint key) => (int)(((ulong)key * 0x9E3779B97F4A7C15) >> 32);
}
