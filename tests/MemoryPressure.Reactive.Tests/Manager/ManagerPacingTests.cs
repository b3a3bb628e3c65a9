using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>The sampling pace in virtual time: fast only while memory closes on a level.</summary>
public class ManagerPacingTests
{
    private const long Limit = 1L << 30;
    private const double RampBytesPerSecond = 100 << 20;

    // Half the limit in use at time 0, growing at 100 MiB/s: LocalRelative < 30% (use above 70%) holds from 2.048 s on.
    private static readonly TimeSpan Crossing = TimeSpan.FromSeconds(0.2 * Limit / RampBytesPerSecond);

    /// <summary>A manager on <paramref name="scheduler"/> whose only push signal is one at 0.1 s, as a garbage collection's might be.</summary>
    private static MemoryPressureManager ManagerWithOneSignal(SeverityLadder ladder, DelegateProbe probe, TestScheduler scheduler)
    {
        var signal = new Subject<Unit>();
        scheduler.Schedule(TimeSpan.FromMilliseconds(100), () => signal.OnNext(Unit.Default));
        var triggers = MemoryPressureTriggers.None;
        triggers.Custom = signal;
        return new MemoryPressureManager(ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, Triggers = triggers });
    }

    private static MemorySample Ramp(TestScheduler scheduler) => new()
    {
        ProcessResidentBytes = (Limit / 2) + (long)(RampBytesPerSecond * new TimeSpan(scheduler.Clock).TotalSeconds),
        ProcessLimitBytes = Limit,
    };

    [Fact]
    public void A_ramp_toward_a_level_is_sampled_ever_faster_and_caught_within_the_floor_of_its_crossing()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => Ramp(scheduler));
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(30)),
            new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, Triggers = MemoryPressureTriggers.None });
        var entered = scheduler.CreateObserver<LevelChanged>();
        manager.Entered(1).Subscribe(entered);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        var at = new TimeSpan(Assert.Single(entered.Messages).Time);
        Assert.InRange(at - Crossing, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        // Fixed polling would have read 4 times (0, 1, 2, 3 s) and seen the crossing 952 ms late.
        Assert.InRange(probe.Reads, 6, 20);
    }

    [Fact]
    public void Without_the_pace_the_same_ramp_is_seen_at_the_next_check()
    {
        var scheduler = new TestScheduler();
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(30)),
            new MemoryPressureOptions { Probe = new DelegateProbe(_ => Ramp(scheduler)), Scheduler = scheduler, Triggers = MemoryPressureTriggers.None, SamplingFloor = TimeSpan.FromSeconds(1) });
        var entered = scheduler.CreateObserver<LevelChanged>();
        manager.Entered(1).Subscribe(entered);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(4).Ticks);

        Assert.Equal(TimeSpan.FromSeconds(3), new TimeSpan(Assert.Single(entered.Messages).Time));
    }

    [Fact]
    public void Memory_that_climbs_straight_back_after_a_level_freed_it_is_caught_again()
    {
        // From half the limit at 1 GiB/s: 70% (level 1) after 0.2 s, 80% (level 2) after 0.3 s, the whole
        // limit after 0.5 s. Entering level 2 frees memory back to half, and it climbs again at once. A
        // signal at 0.1 s (a garbage collection, say) shows the first climb; after that only polls look.
        var scheduler = new TestScheduler();
        var climbStart = TimeSpan.Zero;
        var probe = new DelegateProbe(_ => new MemorySample
        {
            ProcessResidentBytes = (Limit / 2) + (long)(Limit * (new TimeSpan(scheduler.Clock) - climbStart).TotalSeconds),
            ProcessLimitBytes = Limit,
        });
        using var manager = ManagerWithOneSignal(new SeverityLadder(new LocalRelativeValue(30), new LocalRelativeValue(20), new LocalRelativeValue(5)), probe, scheduler);
        var entries = new List<TimeSpan>();
        manager.Entered(2).Subscribe(_ =>
        {
            entries.Add(new TimeSpan(scheduler.Clock));
            climbStart = new TimeSpan(scheduler.Clock);
        });

        scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        // Each climb is caught within a floor of its 0.3 s, before it reaches the limit at 0.5 s: the sample
        // that saw the memory freed predicts nothing, but the ladder stepped down, so the last climb's slope
        // paces the next samples. (Paced by each sample's own slope alone, the sample after the freeing
        // came a whole second later, long past the limit: level 2 was entered twice in the 3 s.)
        Assert.True(entries.Count >= 5, $"level 2 entered {entries.Count} times in 3 s");
        Assert.InRange(entries[0], TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(0.3) + TimeSpan.FromMilliseconds(10));
        foreach (var (entry, previous) in entries.Skip(1).Zip(entries))
        {
            Assert.InRange(entry - previous, TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(0.3) + TimeSpan.FromMilliseconds(10));
        }
    }

    [Fact]
    public void A_climb_read_in_steps_is_followed_through_samples_that_show_no_change()
    {
        // 1 GiB/s from half the limit, but read in steps of 20 ms (as a counter the kernel or the GC
        // updates now and then): 70% (level 1) is reached at 0.2 s. Closing in, two samples fall in one
        // step and show no change: the last climb's slope carries the pace over them.
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => new MemorySample
        {
            ProcessResidentBytes = (Limit / 2) + (Limit / 50 * (long)(new TimeSpan(scheduler.Clock).TotalMilliseconds / 20)),
            ProcessLimitBytes = Limit,
        });
        using var manager = ManagerWithOneSignal(new SeverityLadder(new LocalRelativeValue(30)), probe, scheduler);
        var entered = scheduler.CreateObserver<LevelChanged>();
        manager.Entered(1).Subscribe(entered);

        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);

        // (Judged at the slope of the last one or two steps alone, the unchanged samples predicted nothing
        // and the next poll came a second later: level 1 was entered at 1.21 s.)
        var at = new TimeSpan(Assert.Single(entered.Messages).Time);
        Assert.InRange(at, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.2) + TimeSpan.FromMilliseconds(25));
    }

    [Fact]
    public void Memory_that_sits_close_to_a_level_for_an_hour_is_polled_once_a_check_interval()
    {
        var scheduler = new TestScheduler();
        var wobble = 0;
        // 69.9% to 70% in use, a hair under level 1, rising and falling by turns.
        var probe = new DelegateProbe(_ => new MemorySample { ProcessResidentBytes = (long)(Limit * 0.699) + ((wobble++ % 2) * (Limit / 2000)), ProcessLimitBytes = Limit });
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(30)),
            new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, Triggers = MemoryPressureTriggers.None });

        scheduler.AdvanceBy(TimeSpan.FromHours(1).Ticks);

        // Each rise predicts a crossing within a second or two; half-way polls close in, and each fall stops them.
        Assert.InRange(probe.Reads, 3600, 3600 * 3);
        Assert.Equal(0, manager.SeverityLevel);
    }

    [Fact]
    public void Flat_memory_is_polled_exactly_once_a_check_interval()
    {
        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(_ => new MemorySample { ProcessResidentBytes = (long)(Limit * 0.69), ProcessLimitBytes = Limit });
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(30)),
            new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, Triggers = MemoryPressureTriggers.None });

        scheduler.AdvanceBy(TimeSpan.FromHours(1).Ticks);

        Assert.Equal(3601, probe.Reads);
    }
}
