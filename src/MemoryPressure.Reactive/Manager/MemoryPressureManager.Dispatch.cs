using System.Reactive;
using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Handlers;
using MemoryPressure.Reactive.Ladder;

namespace MemoryPressure.Reactive;

/// <content>Taking samples and judging them: one at a time, every event to every handler, in order.</content>
public sealed partial class MemoryPressureManager
{
    /// <summary>
    /// The manager's side of polling: each tick of the clock and each coalesced trigger request reads
    /// the probe once, unless the manager is paused or disposed, and judges the sample.
    /// </summary>
    /// <remarks>
    /// Plain calls from the tick to the judging, no Rx operator between them, so a tick at rest runs
    /// only code compiled optimised at its first call. One read at a time: on a scheduler given, the
    /// clock and the triggers may tick on different threads. A probe that throws is reported and the
    /// next request reads again.
    /// </remarks>
    private sealed class PolledReads(MemoryPressureManager manager, IScheduler scheduler) : IObserver<Unit>
    {
        private readonly Lock _gate = new();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OnNext(Unit value)
        {
            if (manager._stopped || manager._disposed)
            {
                return;
            }

            lock (_gate)
            {
                MemorySample sample;
                try
                {
                    sample = manager._probe.Read() with { Timestamp = scheduler.Now };
                }
                catch (Exception e)
                {
                    manager.OnSourceError(e);
                    return;
                }

                manager.OnSample(sample);
            }
        }

        public void OnError(Exception error) => manager.OnSourceError(error);

        public void OnCompleted()
        {
        }
    }

    /// <summary>Reports a failure of the sample source or the probe; sampling goes on.</summary>
    private void OnSourceError(Exception error)
    {
        lock (_gate)
        {
            PublishError(error);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnSample(MemorySample sample)
    {
        lock (_gate)
        {
            if (_disposed || _stopped)
            {
                return;
            }

            // A handler that feeds the manager a sample gets it judged after the current one,
            // so one sample's events never interleave with another's.
            if (_dispatching)
            {
                _pending.Enqueue(sample);
                return;
            }

            _dispatching = true;
            try
            {
                Judge(sample);
                // Count first: at rest the queue is empty, and TryDequeue would be compiled again at its thirtieth call.
                while (!_disposed && !_stopped && _pending.Count > 0 && _pending.TryDequeue(out var next))
                {
                    Judge(next);
                }
            }
            finally
            {
                _dispatching = false;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Judge(MemorySample sample)
    {
        if (_maximumAvailableBytes is { } maximum)
        {
            sample = sample with { ProcessLimitBytes = maximum, ProcessLimitSource = MemoryLimitSource.Explicit };
        }

        var limitsMoved = _limits.BeforeJudging(ref sample);
        _cleanups.Prune();
        _samples.Publish(sample);
        _pendingReactions.Publish(sample, _reactions);

        // A condition that throws is reported and the level stays as it was for this sample.
        var from = _state.Level;
        if (LevelSteps.Judge(_state, sample, this, static (manager, step) => manager.Publish(step)) is { } error)
        {
            PublishError(error);
        }

        var to = _state.Level;

        if (from == 0 && to == 0)
        {
            _remaining[0].Publish(sample);
        }

        for (var level = 1; level <= Math.Min(from, to) && !_disposed; level++)
        {
            _remaining[level].Publish(sample);
        }

        if ((from | to) != 0 && _held.ActsAgain(from, to, sample) && !_disposed)
        {
            Repeat(to, sample);
        }

        if (_collectAfterSample)
        {
            _collectAfterSample = false;
            RunIfLive(ForcedGc.Collect, _forcedCollectionName, ForcedCollectionSite);
        }

        if (_trimAfterSample)
        {
            _trimAfterSample = false;
            RunIfLive(static () => NativeHeap.Trim(), _nativeTrimName, NativeTrimSite);
        }

        if (limitsMoved)
        {
            FollowLimits(sample);
        }

        if (_clock is { } clock && _lastJudged is { } previous)
        {
            clock.Sooner(_pacer.Next(previous, sample, from, to));
        }

        _lastJudged = sample;
        _dispatched.Publish(sample);
    }

    /// <summary>Runs what a sample asked for once it is dispatched (the forced collection, the native trim), unless a handler disposed the manager.</summary>
    /// <param name="action">What to run.</param>
    /// <param name="watchdogName">Its name for the watchdog.</param>
    /// <param name="site">Where its failure is reported as coming from.</param>
    private void RunIfLive(Action action, int watchdogName, HandlerSite site)
    {
        if (_disposed)
        {
            return;
        }

        _watchdog?.Begin(watchdogName);
        try
        {
            action();
        }
        catch (Exception e)
        {
            _watchdog?.End();
            ReportHandlerError(e, site);
            return;
        }

        _watchdog?.End();
    }

    private void Publish(LevelChanged step)
    {
        // Disposed by a handler of an earlier step of this sample: nothing more is published.
        if (_disposed)
        {
            return;
        }

        _severityLevel = step.To;
        _changes.Publish(step);
        _levels.Publish(step.To);
        if (step.IsEntering)
        {
            _entered[step.To].Publish(step);
            if (!_disposed)
            {
                _cleanups.Run(step.To, _reportHandlerError);
                Acted(step.To, MemoryReactionKind.Entered, step.Sample);
            }
        }
        else
        {
            _left[step.From].Publish(step);
            if (step.To == 0)
            {
                _memoryNormal.Publish(step);
            }
        }
    }

    /// <summary>Labels a handler's exception with where it ran (<see cref="HandlerFailure"/>) and publishes it; called under the gate.</summary>
    private void ReportHandlerError(Exception error, HandlerSite site)
    {
        site.Attach(error, _severityLevel);
        PublishError(error);
    }

    /// <summary>Publishes an exception on <see cref="Errors"/>; called under the gate.</summary>
    private void PublishError(Exception error)
    {
        lock (_errorsGate)
        {
            _errors.Publish(error);
        }
    }

    /// <summary>
    /// Publishes the watchdog's report of a blocked call from the watchdog's thread, without the gate
    /// (the blocked thread holds it), and only if no error handler is running right now.
    /// </summary>
    private bool TryReportFromWatchdog(Exception report)
    {
        if (!_errorsGate.TryEnter())
        {
            return false;
        }

        try
        {
            if (!_disposed)
            {
                _errors.Publish(report);
            }

            return true;
        }
        finally
        {
            _errorsGate.Exit();
        }
    }
}
