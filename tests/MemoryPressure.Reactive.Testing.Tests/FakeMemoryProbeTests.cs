using System.Reactive.Concurrency;

namespace MemoryPressure.Reactive.Testing.Tests;

public class FakeMemoryProbeTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_read_returns_the_sample_set_last_stamped_with_the_clock_when_it_has_no_time()
    {
        var clock = new HistoricalScheduler(Start);
        var probe = new FakeMemoryProbe(TestSamples.Process(10, 100), () => clock.Now);

        Assert.Equal(TestSamples.Process(10, 100).At(Start), probe.Read());

        probe.Sample = TestSamples.Process(20, 100).At(Start.AddDays(1));
        clock.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(Start.AddDays(1), probe.Read().Timestamp);
        Assert.Equal(20, probe.Sample.ProcessResidentBytes);
        Assert.Equal(2, probe.Reads);
    }

    [Fact]
    public void A_manager_polls_the_probe_in_virtual_time_and_reports_a_failing_read_and_goes_on()
    {
        var clock = new HistoricalScheduler(Start);
        var probe = new FakeMemoryProbe(TestSamples.Process(50, 100), () => clock.Now);
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(20)),
            new MemoryPressureOptions { Probe = probe, Scheduler = clock, CheckInterval = TimeSpan.FromSeconds(1) });
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);
        clock.AdvanceBy(TimeSpan.FromTicks(1)); // the first read is scheduled at once, and runs when the clock moves
        Assert.Equal(1, probe.Reads);

        var failure = new IOException("the probe is gone");
        probe.Failure = failure;
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        probe.Failure = null;
        probe.Sample = TestSamples.Process(90, 100);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(3, probe.Reads);
        Assert.Same(failure, Assert.Single(errors));
        Assert.Equal(1, manager.SeverityLevel);
    }
}
