using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>The seed's own test (Satella's test_memory), rebuilt in virtual time.</summary>
[Collection(SerialTests.Name)]
public class SeedScenarioTests
{
    private sealed class OnDemandCondition : CustomCondition
    {
        public bool Value { get; set; }

        public override bool CanFire(MemorySample sample) => Value;
    }

    private sealed class Target
    {
        public int Cleaned { get; set; }
    }

    [Fact]
    public void Two_levels_on_demand_reached_in_order_and_left_with_memory_normal_counted_once()
    {
        var scheduler = new TestScheduler();
        var onDemand = new OnDemandCondition();
        var level2Engaged = false;
        var custom = new CustomCondition(() => level2Engaged);
        var ladder = new SeverityLadder(onDemand, new All(custom, new Any(custom, custom)));
        using var manager = new MemoryPressureManager(ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => default),
            Scheduler = scheduler,
            CheckInterval = TimeSpan.FromSeconds(1),
        });

        var log = new List<string>();
        manager.Errors.Subscribe(e => log.Add($"error: {e.Message}"));
        manager.Entered(1).Subscribe(_ => log.Add("entered 1"));
        var cancelled = manager.Entered(1).Subscribe(_ => log.Add("cancelled handler"));
        cancelled.Dispose();
        manager.Entered(2).Subscribe(_ => log.Add($"entered 2 from {manager.SeverityLevel - 1}"));
        manager.Left(1).Subscribe(_ => log.Add("left 1"));
        manager.Remaining(1).Subscribe(_ => log.Add("remaining 1"));
        manager.MemoryNormal.Subscribe(_ => log.Add("memory normal"));

        var live = new Target();
        manager.CleanupOnEntered(1, live, static t => t.Cleaned++);
        RegisterTargetThatDies(manager);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        Assert.Empty(log);

        onDemand.Value = true;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(2).Ticks);
        Assert.Equal(["entered 1", "remaining 1"], log);
        Assert.Equal(1, manager.SeverityLevel);

        level2Engaged = true;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal("entered 2 from 1", log[^2]);
        Assert.Equal(2, manager.SeverityLevel);

        onDemand.Value = false;
        level2Engaged = false;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal(
            ["entered 1", "remaining 1", "entered 2 from 1", "remaining 1", "left 1", "memory normal"],
            log);
        Assert.Equal(0, manager.SeverityLevel);
        Assert.Equal(1, live.Cleaned);
        Assert.Equal(1, manager.CleanupRegistrations);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RegisterTargetThatDies(MemoryPressureManager manager) =>
        manager.CleanupOnEntered(1, new Target(), static _ => throw new InvalidOperationException("a collected target was called"));
}
