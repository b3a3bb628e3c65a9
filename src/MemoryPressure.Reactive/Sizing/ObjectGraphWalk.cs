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

    /// <summary>
    /// The walk, in one method so that it compiles once, with one copy of <see cref="Visit"/>: pop an
    /// object, then read its references run by run (a plain object's series, an array of references'
    /// elements, or the repeating runs of an array of structs), from where it was suspended.
    /// </summary>
    /// <remarks>
    /// The root is read as the one element of an array of its own, which is scanned but never counted,
    /// so that it too is visited at the one place.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(object root)
    {
        Push(new object?[] { root }, 0);
        while (_pendingCount > 0)
        {
            var (value, resume) = _pending[--_pendingCount];
            var methodTable = ObjectLayout.MethodTableOf(value);
            var descriptor = (nint*)methodTable;
            var seriesCount = descriptor[-1];
            var size = (nint)ObjectLayout.UnalignedSize(value, methodTable);
            ref var data = ref ObjectLayout.Data(value);

            // Offsets are relative to ObjectLayout.Data, one pointer past the object's start. An array is
            // suspended at each element that holds references (pushed back under it, to resume after it);
            // a plain object, which has few references, pushes them all and is read through at once.
            byte* items = null;
            nint runs = 0, run = 0, skip = 0, offset, runEnd, end;
            var series = descriptor - 3;
            var suspends = seriesCount < 0 || ObjectLayout.HasComponentSize(methodTable);
            if (seriesCount < 0)
            {
                // An array of structs: the runs of references of one element (count, then bytes to the next
                // run) repeat every element from the first reference of the first element to the array's end.
                items = (byte*)series;
                runs = -seriesCount;
                end = size - (2 * IntPtr.Size);
                var first = descriptor[-2] - IntPtr.Size;
                offset = FindRun(items, runs, first, ObjectLayout.ComponentSize(methodTable), resume == 0 ? first : resume, out run, out runEnd, out skip);
            }
            else
            {
                // Series of references: (size less the base size, start offset) pairs going down; an array of
                // references has one, its elements.
                offset = series[1] - IntPtr.Size;
                runEnd = end = offset + series[0] + size;
                if (resume != 0)
                {
                    offset = resume;
                }
            }

            while (true)
            {
                for (; offset < runEnd; offset += IntPtr.Size)
                {
                    var reference = Unsafe.As<byte, object?>(ref Unsafe.Add(ref data, offset));
                    if (reference is null)
                    {
                        continue;
                    }

                    var found = Visit(reference);
                    if (found == Found.Holder)
                    {
                        if (suspends)
                        {
                            if (offset + IntPtr.Size < end)
                            {
                                Push(value, offset + IntPtr.Size);
                            }

                            Push(reference, 0);
                            goto Suspended;
                        }

                        Push(reference, 0);
                    }
                    else if (found == Found.Stop)
                    {
                        return;
                    }
                }

                if (seriesCount < 0)
                {
                    offset = runEnd + skip;
                    if (offset >= end)
                    {
                        break;
                    }

                    run = run + 1 == runs ? 0 : run + 1;
                    ObjectLayout.ReadRepeatingItem(items, -run, out var references, out skip);
                    runEnd = offset + (references * IntPtr.Size);
                }
                else
                {
                    if (--seriesCount == 0)
                    {
                        break;
                    }

                    series -= 2;
                    offset = series[1] - IntPtr.Size;
                    runEnd = end = offset + series[0] + size;
                }
            }

        Suspended:;
        }
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
