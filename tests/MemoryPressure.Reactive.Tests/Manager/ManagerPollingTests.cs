using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>The manager polling its probe on a scheduler.</summary>
public class ManagerPollingTests : ReactiveTest
{
    [Fact]
    public void The_manager_polls_at_once_and_then_every_check_interval()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(n => Pressure.Sample(0, n == 2 ? 95 : 50));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(100) });
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);
        var entered = scheduler.CreateObserver<LevelChanged>();
        manager.Entered(3).Subscribe(entered);

        scheduler.AdvanceTo(350);

        Assert.Equal([1L, 100L, 200L, 300L], samples.Messages.Select(m => m.Time));
        Assert.Equal([100L], entered.Messages.Select(m => m.Time));
        Assert.Equal(4, probe.Reads);
    }

    [Fact]
    public void Polled_samples_are_stamped_with_the_scheduler_clock_so_throttling_follows_virtual_time()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 1) with { Timestamp = DateTimeOffset.UnixEpoch });
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(100) });
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);
        var remaining = scheduler.CreateObserver<MemorySample>();
        manager.Remaining(1, TimeSpan.FromTicks(250)).Subscribe(remaining);

        scheduler.AdvanceTo(1000);

        Assert.All(samples.Messages, m => Assert.Equal(m.Time, m.Value.Value.Timestamp.UtcTicks));
        Assert.Equal([100L, 400L, 700L, 1000L], remaining.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_throwing_probe_is_reported_and_sampling_goes_on_at_the_next_tick()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(n => n % 2 == 0 ? throw new IOException($"read {n} failed") : Pressure.AtLevel(0, 1));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(100) });
        var errors = scheduler.CreateObserver<Exception>();
        manager.Errors.Subscribe(errors);
        var samples = scheduler.CreateObserver<MemorySample>();
        manager.Samples.Subscribe(samples);

        scheduler.AdvanceTo(450);

        Assert.Equal(5, probe.Reads);
        Assert.Equal(["read 2 failed", "read 4 failed"], errors.Messages.Select(m => m.Value.Value.Message));
        Assert.Equal([1L, 200L, 400L], samples.Messages.Select(m => m.Time));
        Assert.Equal(1, manager.SeverityLevel);
    }

    [Fact]
    public void A_stopped_manager_does_not_read_its_probe()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(100) });

        scheduler.AdvanceTo(150);
        manager.Stop();
        scheduler.AdvanceTo(550);
        manager.Resume();
        scheduler.AdvanceTo(650);

        Assert.Equal(3, probe.Reads);
    }

    [Fact]
    public void Disposal_stops_polling()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0));
        var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(100) });

        scheduler.AdvanceTo(150);
        manager.Dispose();
        scheduler.AdvanceTo(1000);

        Assert.Equal(2, probe.Reads);
    }

    [Fact]
    public void Without_a_scheduler_the_manager_polls_on_its_own_background_thread()
    {
        using var sampled = new ManualResetEventSlim();
        string? threadName = null;
        var isBackground = false;
        var probe = new DelegateProbe(_ =>
        {
            threadName = Thread.CurrentThread.Name;
            isBackground = Thread.CurrentThread.IsBackground;
            sampled.Set();
            return Pressure.AtLevel(0, 0);
        });

        using (new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe }))
        {
            Assert.True(sampled.Wait(TimeSpan.FromSeconds(10)), "no sample within 10 s");
        }

        Assert.Equal(nameof(MemoryPressureManager), threadName);
        Assert.True(isBackground);
    }

    [Fact]
    public void Without_options_the_manager_reads_the_default_probe()
    {
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(100)));
        using var atLevel1 = new ManualResetEventSlim();
        manager.Levels.Subscribe(level =>
        {
            if (level == 1)
            {
                atLevel1.Set();
            }
        });

        // Headroom is always under 100% of the limit for a live process, so the first sample enters level 1.
        Assert.True(atLevel1.Wait(TimeSpan.FromSeconds(10)), "level 1 not reached within 10 s");
    }
}
