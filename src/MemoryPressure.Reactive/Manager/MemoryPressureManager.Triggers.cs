using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Manager;
using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive;

/// <content>Push triggers: extra samples when the runtime or the kernel signals pressure.</content>
public sealed partial class MemoryPressureManager
{
    private TriggerSet? _triggers;

    /// <summary>
    /// Gets each trigger source, in the order of <see cref="TriggerSource"/>: whether it runs, what it
    /// watches, or why it does not.
    /// </summary>
    /// <value>A snapshot taken at each call.</value>
    /// <remarks>
    /// A source that the machine cannot provide is <see cref="TriggerState.Unavailable"/> and skipped;
    /// one that stops while running is <see cref="TriggerState.Failed"/>, reported on <see cref="Errors"/>.
    /// Polling goes on in both cases. Log it at start-up to see which sources run:
    /// <c>foreach (var trigger in manager.Triggers) logger.LogInformation("{Trigger}", trigger);</c>
    /// </remarks>
    public IReadOnlyList<TriggerStatus> Triggers => _triggers?.Statuses ?? (_feed is null ? TriggerSet.NotStarted : TriggerSet.NotPolling);

    /// <summary>Starts the trigger sources, whose coalesced requests the manager samples on.</summary>
    private TriggerSet StartTriggers(MemoryPressureTriggers options, IScheduler scheduler) =>
        _triggers = TriggerSet.Start(options, LadderThresholds.Derive(Ladder), _samples.Unwatched, scheduler, OnSourceError);
}
