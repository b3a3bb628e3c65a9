using System.Diagnostics;
using MemoryPressure.Reactive.Diagnostics.Analysis;
using MemoryPressure.Reactive.Diagnostics.Files;
using MemoryPressure.Reactive.Diagnostics.Writing;

namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>
/// One memory dump from start to end: check, make room, write, secure, analyse, keep or delete, report.
/// Every failure becomes a failed <see cref="MemoryDumpResult"/> with its reason; only cancellation throws.
/// </summary>
/// <remarks>
/// <para>Steps, each of which may end the dump with a reason:</para>
/// <list type="number">
/// <item>the writer and the analyser are available (diagnostics enabled, the runtime's DAC present);</item>
/// <item>no other dump runs (the <see cref="DumpGate"/>);</item>
/// <item>the process's figures are read (the expected dump size is the resident set);</item>
/// <item>the directory is private and disk-backed, and keeps the free-space margin after the dump;</item>
/// <item>an owner-only file is created under a fresh name, the runtime writes the dump into it, and its mode is checked;</item>
/// <item>the dump is walked into per-type totals;</item>
/// <item>a kept dump stays and the oldest beyond the cap go; otherwise the file is deleted (it is on any failure too).</item>
/// </list>
/// </remarks>
internal sealed class DumpPipeline(IDumpWriter writer, IHeapAnalyser analyser, DumpGate gate, TimeProvider time)
{
    public static DumpPipeline Default { get; } = new(new CreateDumpWriter(), new ClrMdHeapAnalyser(), DumpGate.Process, TimeProvider.System);

    /// <summary>Takes a dump and writes its report (or its failure) to <paramref name="output"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<MemoryDumpResult> RunAsync(TextWriter output, DumpSettings settings, CancellationToken cancellationToken)
    {
        var result = await TakeAsync(settings, cancellationToken).ConfigureAwait(false);
        try
        {
            BreakdownReport.Write(output, result);
            return result;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            return result.Succeeded ? MemoryDumpResult.Failure(result.Timestamp, $"writing the breakdown to the output failed: {e.Message}", e) : result;
        }
    }

    /// <summary>Takes a dump and returns its breakdown, or why it could not be taken.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    private async Task<MemoryDumpResult> TakeAsync(DumpSettings settings, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow();
        if ((writer.WhyUnavailable() ?? analyser.WhyUnavailable()) is { } unavailable)
        {
            return MemoryDumpResult.Failure(timestamp, unavailable);
        }

        if (!gate.TryEnter())
        {
            return MemoryDumpResult.Failure(timestamp, "another memory dump of this process is in progress");
        }

        try
        {
            return await TakeExclusiveAsync(settings, timestamp, cancellationToken).ConfigureAwait(false);
        }
        catch (DumpFailureException e)
        {
            return MemoryDumpResult.Failure(timestamp, e.Message, e.InnerException);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            return MemoryDumpResult.Failure(timestamp, $"the dump failed: {e.Message}", e);
        }
        finally
        {
            gate.Exit();
        }
    }

    private async Task<MemoryDumpResult> TakeExclusiveAsync(DumpSettings settings, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var sample = Step("reading the process's memory figures", settings.Probe.Read);
        using var directory = Step("preparing the dump directory", () => DumpDirectory.Open(settings.DumpDirectory));
        Step("checking free disk space", () => directory.EnsureRoomFor(sample.ProcessResidentBytes, settings.MinimumFreeDiskBytes));
        var file = Step("creating the dump file", () => directory.CreateFile(DumpFileNames.Create(settings.FilePrefix, timestamp)));
        var kept = false;
        try
        {
            var counts = CollectionCounts();
            var clock = Stopwatch.StartNew();
            var collectionDuration = TimeSpan.Zero;
            if (!settings.IncludeUnreachable)
            {
                // Live objects only: what is unreachable now, an earlier analysis's objects included, is gone from the dump.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                collectionDuration = clock.Elapsed;
                clock.Restart();
            }

            try
            {
                await writer.WriteAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsFailure(e, cancellationToken))
            {
                throw new DumpFailureException($"writing the dump failed: {e.Message}", e);
            }

            var dumpDuration = clock.Elapsed;
            Step("securing the dump file", () => DumpDirectory.Seal(file));
            clock.Restart();
            var breakdown = Step("analysing the dump", () => analyser.Analyse(file, settings.TopTypes, cancellationToken));
            var timings = new DumpTimings(collectionDuration, dumpDuration, clock.Elapsed);
            breakdown = breakdown with
            {
                Heap = breakdown.Heap with
                {
                    Generation0Collections = counts.Generation0Collections,
                    Generation1Collections = counts.Generation1Collections,
                    Generation2Collections = counts.Generation2Collections,
                },
            };
            if (settings.KeepDumpFile)
            {
                kept = true;
                directory.RemoveOldest(settings.FilePrefix, settings.MaximumKeptDumps);
            }

            return MemoryDumpResult.Success(timestamp, sample, breakdown, timings, kept ? file : null, settings.IncludeUnreachable);
        }
        finally
        {
            if (!kept)
            {
                DumpDirectory.DeleteQuietly(file);
            }
        }
    }

    // Read before the dump, so the dump's own work does not show in them.
    private static GcHeapFigures CollectionCounts() => new()
    {
        Generation0Collections = GC.CollectionCount(0),
        Generation1Collections = GC.CollectionCount(1),
        Generation2Collections = GC.CollectionCount(2),
    };

    private static T Step<T>(string what, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not DumpFailureException and not OperationCanceledException)
        {
            throw new DumpFailureException($"{what} failed: {e.Message}", e);
        }
    }

    private static void Step(string what, Action step) => Step(what, () =>
    {
        step();
        return true;
    });

    private static bool IsFailure(Exception e, CancellationToken cancellationToken) =>
        e is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
