using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <content>Arrays: of references, and of structs that hold references, scanned element by element and resumed.</content>
internal unsafe partial struct ObjectGraphWalk<TTally, TVisited>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ScanArrayOfReferences(object array, nint* descriptor, nint size, nint resume)
    {
        // An array of references has one series: its elements.
        ref var data = ref ObjectLayout.Data(array);
        var offset = descriptor[-2] - IntPtr.Size;
        var end = offset + descriptor[-3] + size;
        if (resume != 0)
        {
            offset = resume;
        }

        for (; offset < end; offset += IntPtr.Size)
        {
            var found = VisitElement(array, ref data, offset, end);
            if (found is Found.Holder or Found.Stop)
            {
                return found == Found.Holder;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ScanArrayOfStructs(object array, nint* descriptor, nint seriesCount, nint size, nint elementSize, nint resume)
    {
        // The runs of references of one element (count, then bytes to the next run) repeat every
        // elementSize bytes from the first reference of the first element to the end of the array.
        ref var data = ref ObjectLayout.Data(array);
        var items = (byte*)(descriptor - 3);
        var runs = -seriesCount;
        var end = size - (2 * IntPtr.Size);
        var first = descriptor[-2] - IntPtr.Size;
        var offset = FindRun(items, runs, first, elementSize, resume == 0 ? first : resume, out var run, out var runEnd, out var skip);

        while (offset < end)
        {
            for (; offset < runEnd; offset += IntPtr.Size)
            {
                var found = VisitElement(array, ref data, offset, end);
                if (found is Found.Holder or Found.Stop)
                {
                    return found == Found.Holder;
                }
            }

            offset = runEnd + skip;
            run = run + 1 == runs ? 0 : run + 1;
            ObjectLayout.ReadRepeatingItem(items, -run, out var references, out skip);
            runEnd = offset + (references * IntPtr.Size);
        }

        return true;
    }

    /// <summary>Finds where to start or resume in an array of structs: the run of references at or after <paramref name="resume"/>.</summary>
    /// <returns>The offset to read next: <paramref name="resume"/>, or the start of the next run if it falls in a gap.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static nint FindRun(byte* items, nint runs, nint first, nint elementSize, nint resume, out nint run, out nint runEnd, out nint skip)
    {
        var position = (resume - first) % elementSize;
        var element = resume - position;
        nint runStart = 0;
        for (run = 0; run < runs; run++)
        {
            ObjectLayout.ReadRepeatingItem(items, -run, out var references, out skip);
            var end = runStart + (references * IntPtr.Size);
            if (position < end)
            {
                runEnd = element + end;
                return element + Math.Max(position, runStart);
            }

            runStart = end + skip;
        }

        // After the element's last run: resume at the next element's first run.
        run = 0;
        ObjectLayout.ReadRepeatingItem(items, 0, out var firstReferences, out skip);
        runEnd = element + elementSize + (firstReferences * IntPtr.Size);
        return element + elementSize;
    }

    /// <summary>
    /// Visits the reference an array holds at <paramref name="offset"/>. When it is to an object that
    /// holds references, suspends the array: it is pushed back to resume after this reference, under
    /// that object, so the object's references are read first.
    /// </summary>
    /// <returns><see cref="Found.Holder"/> when the array was suspended, <see cref="Found.Stop"/> when the walk stops.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Found VisitElement(object array, ref byte data, nint offset, nint end)
    {
        var reference = Unsafe.As<byte, object?>(ref Unsafe.Add(ref data, offset));
        if (reference is null)
        {
            return Found.Known;
        }

        var found = Visit(reference);
        if (found == Found.Holder)
        {
            var next = offset + IntPtr.Size;
            if (next < end)
            {
                Push(array, next);
            }

            Push(reference, 0);
        }

        return found;
    }
}
