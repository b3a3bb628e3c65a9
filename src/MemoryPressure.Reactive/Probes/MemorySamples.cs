using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Probes;

namespace MemoryPressure.Reactive;

/// <summary>Sources of <see cref="MemorySample"/> streams.</summary>
public static class MemorySamples
{
    /// <summary>
    /// Reads a probe at subscription and then once every <paramref name="interval"/>, stamping each
    /// sample with the scheduler's clock.
    /// </summary>
    /// <param name="interval">The time between two reads; must be positive.</param>
    /// <param name="probe">The probe to read; <see langword="null"/> for <see cref="MemoryProbe.Default"/>.</param>
    /// <param name="scheduler">The scheduler that times the reads and gives <see cref="MemorySample.Timestamp"/>; <see langword="null"/> for <see cref="DefaultScheduler.Instance"/>.</param>
    /// <returns>A cold observable: each subscription reads on its own schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is zero or negative.</exception>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>event</term><description>emitted</description></listheader>
    /// <item><term>subscription at time t</term><description>the first sample, read and emitted during <c>Subscribe</c>, stamped t</description></item>
    /// <item><term>t + k * <paramref name="interval"/></term><description>one sample, stamped with the scheduler's <see cref="IScheduler.Now"/></description></item>
    /// <item><term>the probe throws</term><description><c>OnError</c> with its exception; reading stops</description></item>
    /// <item><term>disposal</term><description>nothing more; the periodic timer is released</description></item>
    /// </list>
    /// The stream never completes by itself. A tick allocates nothing beyond what the scheduler needs to run it.
    /// </remarks>
    public static IObservable<MemorySample> Poll(TimeSpan interval, IMemoryProbe? probe = null, IScheduler? scheduler = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        scheduler ??= DefaultScheduler.Instance;
        return ProbeReads.Create(ProbeReads.AtOnceThenEvery(interval, scheduler), probe ?? MemoryProbe.Default, scheduler);
    }
}
