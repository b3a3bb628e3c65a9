using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics.Occasions;

/// <summary>Dumps on a POSIX signal: the registration feeds a <see cref="DumpTrigger"/> whose dumps run on the thread pool.</summary>
internal static class SignalDumps
{
    /// <exception cref="PlatformNotSupportedException">The platform has no such signal.</exception>
    /// <exception cref="ArgumentException">The signal cannot be handled (<c>SIGKILL</c>, <c>SIGSTOP</c>).</exception>
    public static IDisposable Install(PosixSignal signal, TextWriter output, DumpSettings settings, DumpPipeline pipeline, IScheduler scheduler)
    {
        var signals = new Subject<PosixSignal>();
        var dumps = DumpTrigger.Create(
                signals,
                cancellationToken => Task.Run(() => pipeline.RunAsync(output, settings, cancellationToken), cancellationToken),
                settings.Limits,
                scheduler,
                reason => BreakdownReport.WriteSkipped(output, $"signal {signal}", reason))
            .Subscribe();
        try
        {
            var registration = PosixSignalRegistration.Create(signal, context =>
            {
                // Handled: the default action of SIGUSR1 and most others would end the process.
                context.Cancel = true;
                signals.OnNext(context.Signal);
            });

            // The registration goes first, so no signal arrives once the dumps are unsubscribed.
            return new CompositeDisposable(registration, dumps, signals);
        }
        catch (Exception e)
        {
            dumps.Dispose();
            signals.Dispose();
            if (e is IOException)
            {
                throw new ArgumentException($"Signal {signal} cannot be handled: {e.Message}", nameof(signal), e);
            }

            throw;
        }
    }
}
