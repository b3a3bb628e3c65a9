namespace MemoryPressure.Demo;

/// <summary>
/// A cache of computed images, oldest first: what a service keeps because it can, and can drop
/// when memory runs short. Safe from any thread: the workload fills it, the ladder's handlers trim it.
/// </summary>
internal sealed class DemoCache
{
    /// <summary>The size of one cached value.</summary>
    public const int EntryBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _entries = new();
    private long _trimmed;

    /// <summary>Gets the number of entries held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Gets the bytes the entries hold.</summary>
    public long Bytes => (long)Count * EntryBytes;

    /// <summary>Gets the entries trimmed since the start.</summary>
    public long Trimmed => Interlocked.Read(ref _trimmed);

    /// <summary>Computes and keeps one more value.</summary>
    public void Add()
    {
        // Written, not just allocated: fresh pages are not resident until touched.
        var value = new byte[EntryBytes];
        value.AsSpan().Fill(0x5A);
        lock (_gate)
        {
            _entries.Enqueue(value);
        }
    }

    /// <summary>Drops the oldest <paramref name="fraction"/> of the entries.</summary>
    public void Trim(double fraction)
    {
        lock (_gate)
        {
            var count = (int)Math.Ceiling(_entries.Count * fraction);
            for (var i = 0; i < count; i++)
            {
                _entries.Dequeue();
            }

            Interlocked.Add(ref _trimmed, count);
        }
    }
}
