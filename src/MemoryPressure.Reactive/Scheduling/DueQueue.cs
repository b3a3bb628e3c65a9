using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Scheduling;

/// <summary>
/// The work a <see cref="SamplingThread"/> has waiting: a binary min-heap on due time, then order of
/// scheduling. Code of the library's own, compiled optimised at its first call, where a framework
/// collection (<c>PriorityQueue</c>, generic over a reference type and so not precompiled) would run
/// unoptimised for thirty ticks, then be compiled twice more (instrumented, then optimised) in the
/// middle of a rest. Not thread-safe: the thread's gate guards it.
/// </summary>
/// <typeparam name="T">The work.</typeparam>
internal sealed class DueQueue<T>
    where T : class
{
    private Entry[] _entries = new Entry[4];
    private long _order;

    public int Count { get; private set; }

    /// <summary>Gets the earliest entry; only while <see cref="Count"/> is positive.</summary>
    public ref readonly Entry Head => ref _entries[0];

    /// <summary>Adds an item due at <paramref name="due"/>, after those already due then.</summary>
    /// <returns>The entry's order: a number of its own, increasing, that tells it from other entries of the same item.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Enqueue(T item, long due)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        var entry = new Entry(due, _order++, item);
        var index = Count++;
        while (index > 0 && entry.IsBefore(_entries[(index - 1) / 2]))
        {
            _entries[index] = _entries[(index - 1) / 2];
            index = (index - 1) / 2;
        }

        _entries[index] = entry;
        return entry.Order;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T Dequeue()
    {
        var head = _entries[0].Item;
        var last = _entries[--Count];
        _entries[Count] = default;
        if (Count > 0)
        {
            var index = 0;
            for (var child = 1; child < Count; child = (2 * index) + 1)
            {
                if (child + 1 < Count && _entries[child + 1].IsBefore(_entries[child]))
                {
                    child++;
                }

                if (!_entries[child].IsBefore(last))
                {
                    break;
                }

                _entries[index] = _entries[child];
                index = child;
            }

            _entries[index] = last;
        }

        return head;
    }

    public void Clear()
    {
        Array.Clear(_entries);
        Count = 0;
    }

    public readonly struct Entry(long due, long order, T item)
    {
        public readonly long Due = due;
        public readonly long Order = order;
        public readonly T Item = item;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsBefore(in Entry other) => Due < other.Due || (Due == other.Due && Order < other.Order);
    }
}
