using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>The coalescing state machine, without threads or schedulers.</summary>
public class SampleRequestCoalescerTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(50);
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch;

    private static DateTimeOffset At(int milliseconds) => Start.AddMilliseconds(milliseconds);

    [Fact]
    public void The_first_request_samples_at_once()
    {
        var coalescer = new SampleRequestCoalescer(Gap);

        Assert.True(coalescer.TryRequest(At(0), out var delay));
        Assert.Equal(TimeSpan.Zero, delay);
        Assert.True(coalescer.IsPending);
    }

    [Fact]
    public void Requests_while_a_sample_is_pending_add_nothing()
    {
        var coalescer = new SampleRequestCoalescer(Gap);
        coalescer.TryRequest(At(0), out _);

        Assert.False(coalescer.TryRequest(At(0), out _));
        Assert.False(coalescer.TryRequest(At(10), out _));
    }

    [Fact]
    public void A_request_within_the_gap_after_a_sample_waits_for_the_end_of_the_gap()
    {
        var coalescer = new SampleRequestCoalescer(Gap);
        coalescer.TryRequest(At(0), out _);
        coalescer.OnSampling(At(0));

        Assert.True(coalescer.TryRequest(At(20), out var delay));
        Assert.Equal(TimeSpan.FromMilliseconds(30), delay);
    }

    [Fact]
    public void A_request_after_the_gap_samples_at_once()
    {
        var coalescer = new SampleRequestCoalescer(Gap);
        coalescer.TryRequest(At(0), out _);
        coalescer.OnSampling(At(0));

        Assert.True(coalescer.TryRequest(At(80), out var delay));
        Assert.Equal(TimeSpan.Zero, delay);
    }

    [Fact]
    public void A_request_that_arrives_while_the_sample_runs_earns_a_sample_of_its_own()
    {
        var coalescer = new SampleRequestCoalescer(Gap);
        coalescer.TryRequest(At(0), out _);
        coalescer.OnSampling(At(1));

        Assert.False(coalescer.IsPending);
        Assert.True(coalescer.TryRequest(At(1), out var delay));
        Assert.Equal(Gap, delay);
    }

    [Fact]
    public void A_clock_that_went_back_delays_a_sample_by_one_gap_at_most()
    {
        var coalescer = new SampleRequestCoalescer(Gap);
        coalescer.TryRequest(At(0), out _);
        coalescer.OnSampling(At(10_000));

        Assert.True(coalescer.TryRequest(At(0), out var delay));
        Assert.Equal(Gap, delay);
    }

    [Fact]
    public void With_no_gap_every_request_after_a_sample_samples_at_once()
    {
        var coalescer = new SampleRequestCoalescer(TimeSpan.Zero);
        coalescer.TryRequest(At(0), out _);
        coalescer.OnSampling(At(0));

        Assert.True(coalescer.TryRequest(At(0), out var delay));
        Assert.Equal(TimeSpan.Zero, delay);
    }
}
