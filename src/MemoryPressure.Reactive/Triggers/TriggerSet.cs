using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Triggers.Linux;

namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// The trigger sources of one manager, started as <see cref="MemoryPressureTriggers"/> asks and the
/// machine allows, merged into one stream of requests; disposing it stops them all and their thread.
/// </summary>
internal sealed class TriggerSet : ITriggerSink, IDisposable
{
    private const string VirtualTime = "the scheduler keeps virtual time: real-time signals are not merged into it";

    private readonly Lock _gate = new();
    private readonly Subject<TriggerSource> _requests = new();
    private readonly CompositeDisposable _resources = [];
    private readonly IScheduler _scheduler;
    private readonly Action<Exception> _reportError;
    private readonly SourceStatus[] _statuses;
    private bool _disposed;

    private TriggerSet(MemoryPressureTriggers options, IUsageThresholds thresholds, IObservable<MemorySample> samples, IScheduler scheduler, Action<Exception> reportError)
    {
        _scheduler = scheduler;
        _reportError = reportError;
        var realTime = !IsVirtualTime(scheduler);
        try
        {
            _statuses =
            [
                StartCollections(options.Gen2Collections, nameof(options.Gen2Collections), TriggerSource.Gen2Collection, realTime),
                .. StartKernelSources(options, thresholds, samples, realTime),
                StartCustom(options),
                StartCollections(options.Collections, nameof(options.Collections), TriggerSource.Collection, realTime),
            ];
            Array.Sort(_statuses, static (a, b) => a.Source.CompareTo(b.Source));
        }
        catch
        {
            // A source that threw (a custom stream whose Subscribe fails) stops those started before it.
            _resources.Dispose();
            throw;
        }

        Requests = CoalescedRequests.Create(_requests, options.MinimumGap, scheduler);
    }

    /// <summary>Gets the statuses of a manager that polls no probe: every source off.</summary>
    public static IReadOnlyList<TriggerStatus> NotPolling { get; } = AllOff("the manager judges MemoryPressureOptions.Samples and polls no probe");

    /// <summary>Gets the statuses of a polling manager that has not started: every source off.</summary>
    public static IReadOnlyList<TriggerStatus> NotStarted { get; } = AllOff("the manager has not started (MemoryPressureOptions.AutoStart is false)");

    /// <summary>Gets the coalesced requests: one item per extra sample to take, emitted on the scheduler.</summary>
    public IObservable<Unit> Requests { get; }

    /// <summary>Gets a snapshot of every source, in the order of <see cref="TriggerSource"/>.</summary>
    public IReadOnlyList<TriggerStatus> Statuses => [.. _statuses.Select(s => s.Snapshot())];

    /// <summary>Starts the sources.</summary>
    /// <param name="options">Which sources to start.</param>
    /// <param name="thresholds">Where the usage thresholds go, from the ladder's conditions.</param>
    /// <param name="samples">The samples the manager judges, which move the usage thresholds.</param>
    /// <param name="scheduler">The manager's scheduler, on which requests are timed and failures reported.</param>
    /// <param name="reportError">Reports a failure on the manager's <c>Errors</c>; called on the scheduler.</param>
    public static TriggerSet Start(MemoryPressureTriggers options, IUsageThresholds thresholds, IObservable<MemorySample> samples, IScheduler scheduler, Action<Exception> reportError) =>
        new(options, thresholds, samples, scheduler, reportError);

    public void Request(TriggerSource source)
    {
        try
        {
            _requests.OnNext(source);
        }
        catch (Exception e)
        {
            // The scheduler refused the sample (a scheduler of the user's, disposed): say so
            // directly, since a report through it would fail the same way, and never let the
            // exception reach the finalizer or kernel thread that signalled.
            _reportError(e);
        }
    }

    public void Report(Exception error)
    {
        lock (_gate)
        {
            // Under the gate: once disposal has taken it, nothing reaches a scheduler that may be disposed right after.
            if (_disposed)
            {
                return;
            }

            try
            {
                _scheduler.Schedule((Report: _reportError, Error: error), static (_, state) =>
                {
                    state.Report(state.Error);
                    return Disposable.Empty;
                });
            }
            catch (Exception e)
            {
                _reportError(new AggregateException(error, e));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _resources.Dispose();
        _requests.OnCompleted();
    }

    private static TriggerStatus[] AllOff(string why) =>
        [.. Enum.GetValues<TriggerSource>().Select(s => new TriggerStatus(s, TriggerState.Off, why, 0))];

    /// <summary>
    /// Tells whether a scheduler keeps virtual time, where real-time signals have no place: Rx's two
    /// clocks of that kind, <c>TestScheduler</c> (and every <c>VirtualTimeScheduler</c> on ticks) and
    /// <see cref="HistoricalScheduler"/>.
    /// </summary>
    private static bool IsVirtualTime(IScheduler scheduler) =>
        scheduler is VirtualTimeSchedulerBase<long, long> or VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan>;

    private static SourceStatus Status(TriggerSource source, TriggerState state, string detail)
    {
        var status = new SourceStatus(source);
        status.Set(state, detail);
        return status;
    }

    /// <summary>Gives the reason a source is off, or <see langword="null"/> when it is to be started.</summary>
    private static string? WhyOff(bool wanted, string option, bool realTime) =>
        !wanted ? $"MemoryPressureTriggers.{option} is false" : realTime ? null : VirtualTime;

    private SourceStatus StartCollections(bool wanted, string option, TriggerSource kind, bool realTime)
    {
        if (WhyOff(wanted, option, realTime) is { } off)
        {
            return Status(kind, TriggerState.Off, off);
        }

        var source = CollectionSource.Start(this, kind);
        _resources.Add(source);
        return source.Status;
    }

    private SourceStatus StartCustom(MemoryPressureTriggers options)
    {
        if (options.Custom is not { } custom)
        {
            return Status(TriggerSource.Custom, TriggerState.Off, "MemoryPressureTriggers.Custom is not set");
        }

        var status = Status(TriggerSource.Custom, TriggerState.Active, "MemoryPressureTriggers.Custom");
        _resources.Add(custom.Subscribe(
            _ =>
            {
                status.Signal();
                Request(TriggerSource.Custom);
            },
            error =>
            {
                status.Set(TriggerState.Failed, $"MemoryPressureTriggers.Custom ended with an error: {error.Message}");
                Report(error);
            },
            () => status.Set(TriggerState.Off, "MemoryPressureTriggers.Custom completed")));
        return status;
    }

    private SourceStatus[] StartKernelSources(MemoryPressureTriggers options, IUsageThresholds thresholds, IObservable<MemorySample> samples, bool realTime)
    {
        var sources = KernelSources.Start(
            options,
            (WhyOff(options.PressureStall, nameof(options.PressureStall), realTime),
             WhyOff(options.UsageThresholds, nameof(options.UsageThresholds), realTime),
             WhyOff(options.PressureLevel, nameof(options.PressureLevel), realTime),
             WhyOff(options.MemoryEvents, nameof(options.MemoryEvents), realTime),
             WhyOff(options.LimitWrites, nameof(options.LimitWrites), realTime)),
            thresholds,
            samples,
            this);
        _resources.Add(sources);
        return sources.Statuses;
    }
}
