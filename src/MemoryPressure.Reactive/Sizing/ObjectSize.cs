using MemoryPressure.Reactive.Sizing;

namespace MemoryPressure.Reactive;

/// <summary>
/// The deep size of an object graph: the bytes the garbage collector allocated for an object and
/// every object it references, directly or not, each counted once.
/// </summary>
/// <remarks>
/// <para>What is counted:</para>
/// <list type="bullet">
/// <item><description>every distinct object reachable from the root through instance reference fields, array
/// elements, and references held inside struct fields and inside elements of arrays of structs, at any depth;
/// an object reached twice (shared, or in a cycle) counts once;</description></item>
/// <item><description>each object at the size the GC allocated for it: object header, method table pointer,
/// fields with the runtime's padding, the length and elements of arrays and strings, rounded up to the pointer
/// size (8 bytes on 64-bit), at least three pointers (24 bytes on 64-bit). These are the figures a heap dump
/// reports (ClrMD's <c>ClrObject.Size</c>, rounded up the same way);</description></item>
/// <item><description>objects of every kind, including strings and arrays on the frozen heap (literals, <see cref="string.Empty"/>)
/// and shared runtime objects such as <see cref="Type"/> instances, unless <see cref="ObjectSizeOptions.Exclude"/>
/// leaves them out.</description></item>
/// </list>
/// <para>What is not: static fields, unmanaged memory (what <see cref="IntPtr"/>, pointers and
/// <see cref="System.Runtime.InteropServices.SafeHandle"/> point to), weak references' targets, the values a
/// <see cref="System.Runtime.CompilerServices.ConditionalWeakTable{TKey, TValue}"/> attaches to a key, and the
/// loader allocator that keeps a collectible type alive. A boxed value is an object and counts; a struct inside
/// an object or an array is part of it and does not count separately.</para>
/// <para>How it walks: iteratively (a list a million nodes deep is fine), reading the runtime's own layout
/// information, so it never runs code of the objects it walks (no property getter, <c>GetEnumerator</c>,
/// <c>Equals</c>, <c>GetHashCode</c> or <c>ToString</c>) and never changes them. Objects are compared by
/// reference.</para>
/// <para>Memory: following a reference allocates nothing. A walk allocates a bitmap of the addresses it has
/// reached, about 1/64 of the bytes it counts (at most 64 bytes per object when objects are scattered), and a
/// stack as deep as the graph (arrays are resumed, not expanded onto it). A garbage collection that runs during
/// the walk may move objects, so the walk then starts again; if collections interrupt it twice, the third walk
/// keys objects by identity hash code instead (16 to 32 bytes per object; the runtime stores an object's hash
/// code in its header the first time it is asked for, which the program cannot observe). A measure therefore
/// takes at most three walks.</para>
/// <para>Threads: any number of walks may run at once. Other threads may change the graph during a walk: the
/// walk does not crash, does not loop, and ends once it has counted every object it can reach, but the result is
/// then approximate (an object linked in behind the walk is missed, one unlinked after it was counted still
/// counts). A graph that another thread grows without end is walked as long as it grows: bound it with
/// <see cref="ObjectSizeOptions.MaximumObjects"/>. Garbage collections during the walk do not change the result.</para>
/// </remarks>
public static class ObjectSize
{
    /// <summary>Gets the bytes the GC allocated for <paramref name="root"/> and every distinct object it references.</summary>
    /// <param name="root">The object to weigh; <see langword="null"/> weighs nothing.</param>
    /// <returns>The total size in bytes; <c>0</c> for <see langword="null"/>.</returns>
    /// <exception cref="PlatformNotSupportedException">
    /// The runtime does not lay objects out as CoreCLR and NativeAOT do (Mono, the browser and mobile runtimes).
    /// </exception>
    /// <remarks>See <see cref="ObjectSize"/> for exactly what is counted and the threading guarantees.</remarks>
    public static long GetSize(object? root)
    {
        if (root is null)
        {
            return 0;
        }

        ThrowIfUnsupported();
        return ObjectGraph.Measure(root, default(NoTally), long.MaxValue, long.MaxValue).Bytes;
    }

    /// <summary>
    /// Gets the bytes the GC allocated for <paramref name="root"/> and every distinct object it references,
    /// leaving out the types <paramref name="options"/> excludes and stopping at its limits.
    /// </summary>
    /// <param name="root">The object to weigh; <see langword="null"/> weighs nothing.</param>
    /// <param name="options">Which types to leave out, where to stop, how many types to list.</param>
    /// <returns>The bytes and objects counted, whether and why the walk stopped early, and the largest types.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="PlatformNotSupportedException">
    /// The runtime does not lay objects out as CoreCLR and NativeAOT do (Mono, the browser and mobile runtimes).
    /// </exception>
    /// <remarks>
    /// <para>See <see cref="ObjectSize"/> for exactly what is counted and the threading guarantees.</para>
    /// <para>An excluded object is neither counted nor followed, so what only it references is not counted either
    /// (unless reached another way). Exceptions thrown by <see cref="ObjectSizeOptions.Exclude"/> propagate.</para>
    /// </remarks>
    public static ObjectSizeResult GetSize(object? root, ObjectSizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (root is null)
        {
            return new ObjectSizeResult(0, 0, ObjectSizeStopReason.None, []);
        }

        ThrowIfUnsupported();
        if (options.Exclude is null && options.TopTypes == 0)
        {
            var totals = ObjectGraph.Measure(root, default(NoTally), options.MaximumObjects, options.MaximumBytes);
            return new ObjectSizeResult(totals.Bytes, totals.Objects, totals.StopReason, []);
        }

        var types = new TypeTable(options.Exclude);
        var tallied = ObjectGraph.Measure(root, new TypeTally(types), options.MaximumObjects, options.MaximumBytes);
        return new ObjectSizeResult(tallied.Bytes, tallied.Objects, tallied.StopReason, types.Largest(options.TopTypes));
    }

    private static void ThrowIfUnsupported()
    {
        if (!ObjectLayout.IsSupported)
        {
            throw new PlatformNotSupportedException(
                "ObjectSize reads the object layout of CoreCLR and NativeAOT, which this runtime does not use.");
        }
    }
}
