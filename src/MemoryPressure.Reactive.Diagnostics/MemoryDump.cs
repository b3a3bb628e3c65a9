using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>
/// Writes down what is using the managed heap: a per-type breakdown taken from a dump of this
/// process, on demand or on a signal, written safely and never at the cost of the process.
/// </summary>
/// <remarks>
/// <para>
/// A dump is written by the runtime's own <c>createdump</c> (started as a child of this process, its
/// output kept off the process's console; through the diagnostics port on Windows) into an
/// owner-only file, read with ClrMD through the runtime's own data access library, walked into
/// per-type totals, and deleted unless <see cref="MemoryDumpOptions.KeepDumpFile"/> asks to keep it.
/// </para>
/// <para>
/// How the analysis is kept from adding to the pressure: it runs in this process (a child process
/// would be charged to the same memory cgroup and would bring a second runtime of its own), reads the
/// dump through a file reader rather than a memory map, walks the heap in 1 MiB chunks into one reused
/// buffer, and keeps one small tally per type, never per object; type names are looked up only for the
/// listed types. The extra memory is a few MiB whatever the heap's size.
/// </para>
/// <para>
/// What a dump costs: the process is suspended while <c>createdump</c> copies its memory (seconds per
/// GiB), and the file takes about the resident set on disk. <c>createdump</c> copies every private
/// writable mapping whole, the unused part of each thread's stack included; on kernels that charge a
/// read of an untouched page as resident, that makes each native thread's stack (8 MiB with the usual
/// <c>ulimit -s</c>) resident from the first dump on. The first dump also loads ClrMD and the runtime's
/// data access library. One dump runs at a time in a process; a dump asked for meanwhile fails at
/// once with that reason.
/// </para>
/// <para>
/// Failures never throw: a dump that cannot be taken (diagnostics disabled with
/// <c>DOTNET_EnableDiagnostics=0</c>, too little disk space, no permission, a shared or memory-backed
/// directory) returns a failed <see cref="MemoryDumpResult"/> with the reason, which is also written to
/// the output. Only invalid arguments and cancellation throw.
/// </para>
/// </remarks>
public static partial class MemoryDump
{
    /// <summary>Dumps this process and writes the per-type breakdown of its managed heap, largest first, to <paramref name="output"/>.</summary>
    /// <param name="output">Where the report goes: a header with the process's and the GC's figures, then one line per type (or the failure reason).</param>
    /// <param name="options">What to list and where the dump goes; <see langword="null"/> for the defaults.</param>
    /// <returns>The same breakdown as data, or the failure and its reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number in <paramref name="options"/> is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a file prefix that is not allowed, or keeps the dump without a directory.</exception>
    /// <remarks>
    /// Blocks the calling thread for the whole dump: seconds per GiB of heap. The report is written in
    /// one call followed by a flush, from the calling thread.
    /// </remarks>
    public static MemoryDumpResult DumpMemoryOn(TextWriter output, MemoryDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var settings = DumpSettings.From(options, nameof(options));
        return DumpPipeline.Default.RunAsync(output, settings, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Dumps this process and writes the per-type breakdown of its managed heap, largest first, to <paramref name="output"/>.</summary>
    /// <param name="output">Where the report goes: a header with the process's and the GC's figures, then one line per type (or the failure reason).</param>
    /// <param name="options">What to list and where the dump goes; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops waiting for the dump and stops its analysis; the dump file is then deleted.</param>
    /// <returns>The same breakdown as data, or the failure and its reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number in <paramref name="options"/> is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a file prefix that is not allowed, or keeps the dump without a directory.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the returned task ends so).</exception>
    /// <remarks>
    /// The arguments are checked at once; the checks of the directory and the disk run synchronously
    /// before the first wait. Cancelling cannot stop the runtime's <c>createdump</c> once it has
    /// started: it finishes writing into the deleted file, whose space is freed when it ends.
    /// </remarks>
    public static Task<MemoryDumpResult> DumpMemoryOnAsync(TextWriter output, MemoryDumpOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var settings = DumpSettings.From(options, nameof(options));
        return DumpPipeline.Default.RunAsync(output, settings, cancellationToken);
    }
}
