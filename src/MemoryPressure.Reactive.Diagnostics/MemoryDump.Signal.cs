using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics.Occasions;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics;

/// <content>Dumps on a POSIX signal.</content>
public static partial class MemoryDump
{
    /// <summary>
    /// Dumps this process, as <see cref="DumpMemoryOn"/> does, each time it receives <paramref name="signal"/>,
    /// within the limits of <see cref="MemoryDumpOptions.MinimumInterval"/> and <see cref="MemoryDumpOptions.MaximumDumps"/>.
    /// </summary>
    /// <param name="signal">
    /// The signal. On Unix any signal number may be given as <c>(PosixSignal)number</c>, such as
    /// <c>(PosixSignal)10</c> for <c>SIGUSR1</c> on Linux x64 (<c>kill -USR1 &lt;pid&gt;</c>).
    /// </param>
    /// <param name="output">Where each report goes (a breakdown, a failure, or why a signal was skipped).</param>
    /// <param name="options">What to list, where dumps go, and how often they may run; <see langword="null"/> for the defaults.</param>
    /// <returns>A registration: disposing it uninstalls the handler and cancels a dump in progress.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number in <paramref name="options"/> is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a file prefix that is not allowed, or keeps the dump without a directory; or <paramref name="signal"/> cannot be handled (<c>SIGKILL</c>, <c>SIGSTOP</c>).</exception>
    /// <exception cref="PlatformNotSupportedException">The platform does not support <paramref name="signal"/>.</exception>
    /// <remarks>
    /// <para>
    /// The signal is handled: its default action (for <c>SIGUSR1</c>, ending the process) no longer
    /// happens while the handler is installed, so do not install it on the signals that stop the host
    /// (<c>SIGTERM</c>, <c>SIGINT</c>, <c>SIGQUIT</c>).
    /// </para>
    /// <para>
    /// The handler returns at once: each dump runs on the thread pool, and its report is written to
    /// <paramref name="output"/> from there in one call followed by a flush, so give a thread-safe writer
    /// (<see cref="Console.Out"/> is; otherwise use <see cref="TextWriter.Synchronized(TextWriter)"/>). A signal
    /// that arrives while a dump runs, sooner than <see cref="MemoryDumpOptions.MinimumInterval"/> after the
    /// last one started, or after <see cref="MemoryDumpOptions.MaximumDumps"/> dumps, is skipped with a line
    /// saying why. Several handlers may be installed, each with its own limits.
    /// </para>
    /// </remarks>
    public static IDisposable InstallDumpMemoryOn(PosixSignal signal, TextWriter output, MemoryDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var settings = DumpSettings.From(options, nameof(options));
        return SignalDumps.Install(signal, output, settings, DumpPipeline.Default, DefaultScheduler.Instance);
    }
}
