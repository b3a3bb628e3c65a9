namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// The state machine that coalesces "sample now" requests: at most one extra sample per minimum gap,
/// and never a request left without a sample after it. Plain and single-threaded; the caller locks.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>request at time t</term><description>sample</description></listheader>
/// <item><term>none pending, last extra sample at or before t - gap (or none yet)</term><description>at once</description></item>
/// <item><term>none pending, last extra sample at s &gt; t - gap</term><description>at s + gap</description></item>
/// <item><term>one pending</term><description>none more: the pending sample comes after the request</description></item>
/// </list>
/// A sample clears the pending flag as it starts, before it reads the probe: a request that arrives
/// while the probe is read may describe memory the read missed, so it earns a sample of its own.
/// </remarks>
internal sealed class SampleRequestCoalescer(TimeSpan minimumGap)
{
    private DateTimeOffset? _lastSample;

    /// <summary>Gets whether a sample is due and not yet started.</summary>
    public bool IsPending { get; private set; }

    /// <summary>Records a request.</summary>
    /// <param name="now">The scheduler's time.</param>
    /// <param name="delay">When a sample is to be scheduled, the time from <paramref name="now"/> to it.</param>
    /// <returns><see langword="true"/> when the caller must schedule a sample after <paramref name="delay"/>; <see langword="false"/> when one is pending already.</returns>
    public bool TryRequest(DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (IsPending)
        {
            return false;
        }

        IsPending = true;
        if (_lastSample is { } last)
        {
            // A clock that went back leaves the wait at one gap at most.
            delay = TimeSpan.FromTicks(Math.Clamp((last + minimumGap - now).Ticks, 0, minimumGap.Ticks));
        }

        return true;
    }

    /// <summary>Records that the pending sample starts now.</summary>
    public void OnSampling(DateTimeOffset now)
    {
        IsPending = false;
        _lastSample = now;
    }
}
