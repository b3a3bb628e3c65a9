using MemoryPressure.Reactive.Diagnostics;
using MemoryPressure.Reactive.Diagnostics.Occasions;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive;

/// <summary>Dumps on entering a level of a <see cref="MemoryPressureManager"/>.</summary>
public static class MemoryPressureManagerDumps
{
    /// <summary>
    /// Dumps this process, as <see cref="MemoryDump.DumpMemoryOn"/> does, on entering a level, within
    /// the limits of <see cref="MemoryDumpOptions.MinimumInterval"/> and <see cref="MemoryDumpOptions.MaximumDumps"/>.
    /// </summary>
    /// <param name="manager">The manager whose level to watch.</param>
    /// <param name="level">The level, 1..N.</param>
    /// <param name="output">Where each report goes (a breakdown, a failure, or why an entry was skipped); a thread-safe writer.</param>
    /// <param name="options">What to list, where dumps go, and how often they may run; <see langword="null"/> for the defaults.</param>
    /// <returns>A registration: disposing it uninstalls the dump and cancels one in progress.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manager"/> or <paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is outside 1..N, or a number in <paramref name="options"/> is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a file prefix that is not allowed, or keeps the dump without a directory.</exception>
    /// <remarks>
    /// <para>
    /// The dump runs on the thread pool, never on the manager's sampling thread, so the other
    /// handlers and the monitoring go on while it is written and read. The interval between dumps is
    /// measured on <see cref="MemorySample.Timestamp"/>, so it follows virtual time in tests.
    /// </para>
    /// <para>
    /// An entry that comes while a dump runs, sooner than the interval after the last one started, or
    /// after <see cref="MemoryDumpOptions.MaximumDumps"/> dumps, is skipped with a line on
    /// <paramref name="output"/> saying why. A dump that fails (diagnostics disabled, too little disk, no
    /// permission) never throws: its <see cref="MemoryDumpException"/> appears on the manager's
    /// <see cref="MemoryPressureManager.Errors"/>, with the reason.
    /// </para>
    /// </remarks>
    public static IDisposable InstallDumpMemoryOn(this MemoryPressureManager manager, int level, TextWriter output, MemoryDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var entered = manager.Entered(level);
        ArgumentNullException.ThrowIfNull(output);
        var settings = DumpSettings.From(options, nameof(options));
        return Install(
            manager,
            entered,
            output,
            settings,
            token => Task.Run(() => DumpPipeline.Default.RunAsync(output, settings, token), token));
    }

    /// <summary>Wires the entries of a level to a dump function, reporting failures on the manager.</summary>
    internal static IDisposable Install(
        MemoryPressureManager manager,
        IObservable<LevelChanged> entered,
        TextWriter output,
        DumpSettings settings,
        Func<CancellationToken, Task<MemoryDumpResult>> dump) =>
        DumpTrigger.Create(entered, step => step.Sample.Timestamp, dump, settings.Limits, reason => BreakdownReport.WriteSkipped(output, "level entered", reason))
            .Subscribe(
                result =>
                {
                    if (!result.Succeeded)
                    {
                        manager.ReportError(new MemoryDumpException(result));
                    }
                },
                manager.ReportError);
}
