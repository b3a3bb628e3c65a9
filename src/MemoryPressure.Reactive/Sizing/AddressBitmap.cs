using System.Runtime.CompilerServices;
namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// The storage of an <see cref="AddressVisitedSet"/>: 4 KB chunks of address space, each with a
/// bitmap of one bit per pointer-aligned address, created as a walk reaches them. It outlives an
/// attempt, so that the attempt made after a GC voided one reuses it instead of allocating again.
/// </summary>
/// <remarks>
/// Bitmaps live in blocks that double in size up to 64 KB (never copied, so growing makes no
/// garbage, and a small graph needs only a few hundred bytes); a directory maps a chunk number to
/// its bitmap's block and offset.
/// </remarks>
internal sealed class AddressBitmap
{
    /// <summary>The bits of a chunk's address are the address shifted right by this.</summary>
    public const int ChunkShift = 12;

    /// <summary>How an address within a chunk becomes a bit: objects are aligned to a pointer.</summary>
    public static readonly int AlignmentShift = IntPtr.Size == 8 ? 3 : 2;

    /// <summary>The bits of one chunk.</summary>
    public static readonly int BitsPerChunk = (1 << ChunkShift) >> AlignmentShift;

    private const int LargestBlock = 8192;
    private static readonly int WordsPerChunk = BitsPerChunk / 64;

    private readonly List<ulong[]> _blocks = [];
    private nint[] _chunkKeys = new nint[16];
    private int[] _chunkBlocks = new int[16];
    private int[] _chunkOffsets = new int[16];
    private int _chunkCount;
    private int _currentBlock = -1;
    private int _usedInCurrentBlock;

    /// <summary>Forgets every bit and chunk, keeping the memory to fill again.</summary>
    public void Clear()
    {
        for (var block = 0; block <= _currentBlock; block++)
        {
            Array.Clear(_blocks[block]);
        }

        Array.Clear(_chunkKeys);
        _chunkCount = 0;
        _currentBlock = -1;
        _usedInCurrentBlock = 0;
    }

    /// <summary>Gets the bitmap of a chunk, creating it (all clear) the first time.</summary>
    /// <param name="chunk">The chunk number: an address shifted right by <see cref="ChunkShift"/>.</param>
    /// <param name="offset">Where the chunk's words start in the returned block.</param>
    /// <returns>The block that holds the chunk's words.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong[] WordsOf(nint chunk, out int offset)
    {
        // Chunk numbers are stored plus one so that 0 marks an empty slot.
        var key = chunk + 1;
        var mask = _chunkKeys.Length - 1;
        var index = Spread(key) & mask;
        while (_chunkKeys[index] is var existing && existing != 0)
        {
            if (existing == key)
            {
                offset = _chunkOffsets[index];
                return _blocks[_chunkBlocks[index]];
            }

            index = (index + 1) & mask;
        }

        if (_currentBlock < 0 || _usedInCurrentBlock == _blocks[_currentBlock].Length)
        {
            NextBlock();
        }

        offset = _usedInCurrentBlock;
        _usedInCurrentBlock += WordsPerChunk;
        _chunkKeys[index] = key;
        _chunkBlocks[index] = _currentBlock;
        _chunkOffsets[index] = offset;
        if (++_chunkCount > _chunkKeys.Length / 2)
        {
            GrowDirectory();
        }

        return _blocks[_currentBlock];
    }

    private void NextBlock()
    {
        _currentBlock++;
        _usedInCurrentBlock = 0;
        if (_currentBlock == _blocks.Count)
        {
            _blocks.Add(new ulong[_currentBlock == 0 ? 4 * WordsPerChunk : Math.Min(2 * _blocks[^1].Length, LargestBlock)]);
        }
    }

    // Runs a dozen times a walk. Left unoptimised for good: as ordinary code its loop was recompiled
    // on stack (OSR) during a second cold measure, 0.6 ms of a 3 ms call.
    [MethodImpl(MethodImplOptions.NoOptimization)]
    private void GrowDirectory()
    {
        var keys = new nint[_chunkKeys.Length * 2];
        var blocks = new int[keys.Length];
        var offsets = new int[keys.Length];
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
                blocks[index] = _chunkBlocks[i];
                offsets[index] = _chunkOffsets[i];
            }
        }

        _chunkKeys = keys;
        _chunkBlocks = blocks;
        _chunkOffsets = offsets;
    }

    private static int Spread(nint key) => (int)(((ulong)key * 0x9E3779B97F4A7C15) >> 32);
}
