using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <content>Arrays of structs: where to start or resume in their repeating runs of references.</content>
internal unsafe partial struct ObjectGraphWalk<TTally, TVisited>
{
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
}
