using Microsoft.Reactive.Testing;
using NSubstitute;
using MemoryPressure.Reactive.Tests.Support;
using NSubstitute.ExceptionExtensions;

namespace MemoryPressure.Reactive.Tests.Probes;

public class MemorySamplesTests : ReactiveTest
{
    private static readonly TimeSpan Interval = TimeSpan.FromTicks(100);

    private static IMemoryProbe CountingProbe()
    {
        var probe = Substitute.For<IMemoryProbe>();
        var reads = 0L;
        probe.Read().Returns(_ => new MemorySample { ProcessResidentBytes = ++reads });
        return probe;
    }

    private static MemorySample At(long ticks, long reads) =>
        new() { Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero), ProcessResidentBytes = reads };

    [Fact]
    public void Poll_reads_at_subscription_and_then_every_interval_stamped_with_the_scheduler_clock()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(() => MemorySamples.Poll(Interval, CountingProbe(), scheduler), created: 100, subscribed: 200, disposed: 500);

        results.Messages.AssertEqual(
            OnNext(200, At(200, 1)),
            OnNext(300, At(300, 2)),
            OnNext(400, At(400, 3)));
    }

    [Fact]
    public void Poll_overwrites_a_timestamp_the_probe_set()
    {
        var scheduler = new TestScheduler();
        var probe = Substitute.For<IMemoryProbe>();
        probe.Read().Returns(new MemorySample { Timestamp = DateTimeOffset.UnixEpoch, ProcessResidentBytes = 7 });

        var results = scheduler.Start(() => MemorySamples.Poll(Interval, probe, scheduler), created: 100, subscribed: 200, disposed: 250);

        results.Messages.AssertEqual(OnNext(200, At(200, 7)));
    }

    [Fact]
    public void Poll_is_cold_each_subscription_reads_on_its_own_schedule()
    {
        var scheduler = new TestScheduler();
        var probe = CountingProbe();
        var polled = MemorySamples.Poll(Interval, probe, scheduler);
        var first = scheduler.CreateObserver<MemorySample>();
        var second = scheduler.CreateObserver<MemorySample>();

        scheduler.ScheduleAbsolute(200, () => polled.Subscribe(first));
        scheduler.ScheduleAbsolute(250, () => polled.Subscribe(second));
        scheduler.AdvanceTo(360);

        Assert.Equal([200L, 300L], first.Messages.Select(m => m.Time));
        Assert.Equal([250L, 350L], second.Messages.Select(m => m.Time));
        probe.Received(4).Read();
    }

    [Fact]
    public void Poll_does_not_read_before_subscription_or_after_disposal()
    {
        var scheduler = new TestScheduler();
        var probe = CountingProbe();

        var polled = MemorySamples.Poll(Interval, probe, scheduler);
        scheduler.AdvanceTo(1000);
        probe.DidNotReceive().Read();

        var subscription = polled.Subscribe(_ => { });
        scheduler.AdvanceBy(250);
        subscription.Dispose();
        scheduler.AdvanceBy(1000);

        probe.Received(3).Read();
    }

    [Fact]
    public void Poll_ends_with_the_probe_exception_and_stops_reading()
    {
        var scheduler = new TestScheduler();
        var failure = new InvalidOperationException("probe broke");
        var probe = new DelegateProbe(n => n < 3 ? new MemorySample { ProcessResidentBytes = n } : throw failure);

        var results = scheduler.Start(() => MemorySamples.Poll(Interval, probe, scheduler), created: 100, subscribed: 200, disposed: 1000);

        results.Messages.AssertEqual(
            OnNext(200, At(200, 1)),
            OnNext(300, At(300, 2)),
            OnError<MemorySample>(400, failure));
        Assert.Equal(3, probe.Reads);
    }

    [Fact]
    public void Poll_with_a_probe_that_throws_at_once_errors_at_subscription()
    {
        var scheduler = new TestScheduler();
        var failure = new IOException("no /proc");
        var probe = Substitute.For<IMemoryProbe>();
        probe.Read().Throws(failure);

        var results = scheduler.Start(() => MemorySamples.Poll(Interval, probe, scheduler), created: 100, subscribed: 200, disposed: 1000);

        results.Messages.AssertEqual(OnError<MemorySample>(200, failure));
        probe.Received(1).Read();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Poll_refuses_an_interval_that_is_not_positive(long ticks)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MemorySamples.Poll(TimeSpan.FromTicks(ticks)));
        Assert.Equal("interval", e.ParamName);
    }

    [Fact]
    public void Poll_without_a_probe_reads_the_default_probe()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(() => MemorySamples.Poll(Interval, scheduler: scheduler), created: 100, subscribed: 200, disposed: 250);

        var sample = Assert.Single(results.Messages).Value.Value;
        Assert.InRange(sample.ProcessResidentBytes, 1, long.MaxValue);
        Assert.InRange(sample.SystemTotalBytes, 1, long.MaxValue);
    }
}
