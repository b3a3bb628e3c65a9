using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// One attempt at walking an object graph: depth first with an explicit stack, counting each
/// distinct object once, when a reference to it is first read.
/// </summary>
/// <remarks>
/// <para>
/// An object that holds references is pushed to be scanned later; strings and arrays of
/// primitives are counted and never reach the stack. A plain object's references are all read at
/// once (an object has few). An array's scan stops after each element that holds references,
/// leaving the array on the stack with the position to resume from, so the stack grows with the
/// depth of the graph rather than the width of its arrays: a dictionary of a million records
/// keeps three entries on it.
/// </para>
/// <para>
/// The attempt is void if its visited set stops being valid (a GC moved objects an address-keyed
/// set relies on); it checks every <see cref="ObjectsBetweenChecks"/> objects and at the end, and
/// <see cref="ObjectGraph"/> starts again.
/// </para>
/// </remarks>
internal unsafe partial struct ObjectGraphWalk<TTally, TVisited>
    where TTally : struct, IObjectTally
    where TVisited : struct, IVisitedSet
{
    private const int ObjectsBetweenChecks = 4096;

    private readonly long _maximumObjects;
    private readonly long _maximumBytes;
    private TVisited _visited;
    private TTally _tally;
    private Pending[] _pending;
    private int _pendingCount;
    private long _objects;
    private long _bytes;
    private int _untilCheck;
    private ObjectSizeStopReason _stopReason;
    private bool _void;

    private ObjectGraphWalk(TVisited visited, TTally tally, long maximumObjects, long maximumBytes)
    {
        _visited = visited;
        _tally = tally;
        _maximumObjects = maximumObjects;
        _maximumBytes = maximumBytes;
        _pending = new Pending[16];
        _untilCheck = ObjectsBetweenChecks;
    }

    /// <summary>Walks the graph reachable from <paramref name="root"/>.</summary>
    /// <returns>The totals, or <see langword="null"/> when the attempt is void and must be made again.</returns>
    public static ObjectGraphTotals? Run(object root, TVisited visited, TTally tally, long maximumObjects, long maximumBytes)
    {
        var walk = new ObjectGraphWalk<TTally, TVisited>(visited, tally, maximumObjects, maximumBytes);
        walk.Run(root);
        return walk._void || !walk._visited.IsValid
            ? null
            : new ObjectGraphTotals(walk._bytes, walk._objects, walk._stopReason);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(object root)
    {
        var found = Visit(root);
        if (found == Found.Holder)
        {
            Push(root, 0);
        }
        else if (found == Found.Stop)
        {
            return;
        }

        while (_pendingCount > 0)
        {
            var next = _pending[--_pendingCount];
            if (!Scan(next.Value, next.Resume))
            {
                return;
            }
        }
    }

    /// <summary>Reads the references of an object, from <paramref name="resume"/> for an array resumed mid-way.</summary>
    /// <returns><see langword="false"/> when the walk stops.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Scan(object value, nint resume)
    {
        var methodTable = ObjectLayout.MethodTableOf(value);
        var descriptor = (nint*)methodTable;
        var seriesCount = descriptor[-1];
        var size = (nint)ObjectLayout.UnalignedSize(value, methodTable);
        if (seriesCount < 0)
        {
            return ScanArrayOfStructs(value, descriptor, seriesCount, size, ObjectLayout.ComponentSize(methodTable), resume);
        }

        return ObjectLayout.HasComponentSize(methodTable)
            ? ScanArrayOfReferences(value, descriptor, size, resume)
            : ScanObject(value, descriptor, seriesCount, size);
    }

    // Offsets below are relative to ObjectLayout.Data, one pointer past the object's start.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ScanObject(object value, nint* descriptor, nint seriesCount, nint size)
    {
        ref var data = ref ObjectLayout.Data(value);
        var series = descriptor - 3;
        for (nint i = 0; i < seriesCount; i++, series -= 2)
        {
            var offset = series[1] - IntPtr.Size;
            var end = offset + series[0] + size;
            for (; offset < end; offset += IntPtr.Size)
            {
                var reference = Unsafe.As<byte, object?>(ref Unsafe.Add(ref data, offset));
                if (reference is null)
                {
                    continue;
                }

                var found = Visit(reference);
                if (found == Found.Holder)
                {
                    Push(reference, 0);
                }
                else if (found == Found.Stop)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Counts the object if it has not been reached before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Found Visit(object reference)
    {
        if (!_visited.Add(reference))
        {
            return Found.Known;
        }

        var methodTable = ObjectLayout.MethodTableOf(reference);
        if (!_tally.Admit(reference, methodTable))
        {
            return Found.Known;
        }

        var size = ObjectLayout.AllocatedSize(reference, methodTable);
        if (_objects >= _maximumObjects || (long)size > _maximumBytes - _bytes)
        {
            _stopReason = _objects >= _maximumObjects ? ObjectSizeStopReason.MaximumObjects : ObjectSizeStopReason.MaximumBytes;
            return Found.Stop;
        }

        _objects++;
        _bytes += (long)size;
        _tally.Add(size);
        if (--_untilCheck == 0 && !Check())
        {
            return Found.Stop;
        }

        return ObjectLayout.ContainsReferences(methodTable) ? Found.Holder : Found.Leaf;
    }

    // Rare (every ObjectsBetweenChecks objects) and out of line, like GrowPending, so that the scans
    // that call them, compiled optimised on their first call, compile faster.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Check()
    {
        _untilCheck = ObjectsBetweenChecks;
        _void = !_visited.IsValid;
        return !_void;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(object value, nint resume)
    {
        if (_pendingCount == _pending.Length)
        {
            GrowPending();
        }

        _pending[_pendingCount++] = new Pending(value, resume);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowPending() => Array.Resize(ref _pending, _pending.Length * 2);

    private enum Found
    {
        /// <summary>Reached before, or of an excluded type: nothing to do.</summary>
        Known,

        /// <summary>Counted now; holds no references.</summary>
        Leaf,

        /// <summary>Counted now; holds references to scan.</summary>
        Holder,

        /// <summary>The walk stops (a limit, or a GC voided it).</summary>
        Stop,
    }

    private readonly record struct Pending(object Value, nint Resume);
}
