using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>Weak cleanup registrations and the forced collection; serial, as they count collections.</summary>
[Collection(SerialTests.Name)]
public class ManagerCleanupTests : ReactiveTest
{
    private sealed class Cache
    {
        public int Cleared { get; set; }
    }

    [Fact]
    public void A_live_target_is_cleaned_once_per_entry_into_its_level()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 2), (230, 1), (240, 0), (250, 3)));
        var cache = new Cache();
        harness.Manager.CleanupOnEntered(1, cache, static c => c.Cleared++);

        harness.Scheduler.Start();

        Assert.Equal(2, cache.Cleared);
    }

    [Fact]
    public void Cleanup_for_a_level_runs_after_its_Entered_event_and_before_anything_about_the_next()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 3)));
        var log = new List<string>();
        var cache = new Cache();
        harness.Manager.Changes.Subscribe(c => log.Add($"change {c.To}"));
        for (var level = 1; level <= 3; level++)
        {
            var captured = level;
            harness.Manager.Entered(level).Subscribe(_ => log.Add($"entered {captured}"));
            harness.Manager.CleanupOnEntered(level, cache, _ => log.Add($"cleanup {captured}"));
        }

        harness.Scheduler.Start();

        Assert.Equal(["change 1", "entered 1", "cleanup 1", "change 2", "entered 2", "cleanup 2", "change 3", "entered 3", "cleanup 3"], log);
        GC.KeepAlive(cache);
    }

    [Fact]
    public void A_collected_target_is_pruned_at_the_next_check_and_never_called()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 0), (220, 1)));
        var calls = 0;
        RegisterDyingTarget(harness.Manager, () => calls++);
        var live = new Cache();
        harness.Manager.CleanupOnEntered(1, live, static c => c.Cleared++);
        Assert.Equal(2, harness.Manager.CleanupRegistrations);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        harness.Scheduler.AdvanceTo(215);

        Assert.Equal(1, harness.Manager.CleanupRegistrations);
        harness.Scheduler.Start();
        Assert.Equal(0, calls);
        Assert.Equal(1, live.Cleared);
    }

    [Fact]
    public void Disposing_the_registration_cancels_it()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 0), (230, 1)));
        var cache = new Cache();
        var registration = harness.Manager.CleanupOnEntered(1, cache, static c => c.Cleared++);
        harness.Scheduler.ScheduleAbsolute(215, registration.Dispose);

        harness.Scheduler.Start();

        Assert.Equal(1, cache.Cleared);
        Assert.Equal(0, harness.Manager.CleanupRegistrations);
    }

    [Fact]
    public void A_registration_made_while_its_level_is_in_effect_runs_from_the_next_entry()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 1), (230, 0), (240, 1)));
        var cache = new Cache();
        harness.Scheduler.ScheduleAbsolute(215, () => harness.Manager.CleanupOnEntered(1, cache, static c => c.Cleared++));

        harness.Scheduler.Start();

        Assert.Equal(1, cache.Cleared);
    }

    [Fact]
    public void InstallForceGcCollect_runs_a_full_collection_on_each_entry_and_can_be_uninstalled()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 2), (230, 0), (240, 2), (250, 0), (260, 2)));
        var installed = harness.Manager.InstallForceGcCollect(2);
        var collections = new List<int>();
        harness.Manager.Samples.Subscribe(_ => collections.Add(GC.CollectionCount(2)));
        harness.Scheduler.ScheduleAbsolute(255, installed.Dispose);

        harness.Scheduler.Start();

        // Samples are published before their events, so each count shows the collections of the samples before.
        Assert.True(collections[2] > collections[1], "no full collection on the first entry");
        Assert.True(collections[4] > collections[3], "no full collection on the second entry");
        Assert.Equal(collections[5], GC.CollectionCount(2));
    }

    [Fact]
    public void The_forced_collection_runs_after_every_cleanup_of_the_sample_so_it_reclaims_what_they_dropped()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 3)));
        harness.Manager.InstallForceGcCollect(2);
        var cache = new Cache();
        var collectionsAtLastCleanup = -1;
        var collectionsAtDispatched = -1;
        harness.Manager.CleanupOnEntered(3, cache, _ => collectionsAtLastCleanup = GC.CollectionCount(2));
        harness.Manager.Dispatched.Subscribe(_ => collectionsAtDispatched = GC.CollectionCount(2));

        harness.Scheduler.Start();

        Assert.True(collectionsAtLastCleanup >= 0, "the cleanup of level 3 did not run");
        Assert.True(collectionsAtDispatched > collectionsAtLastCleanup, "no full collection after the last cleanup of the sample");
        GC.KeepAlive(cache);
    }

    [Fact]
    public void A_sample_that_enters_several_collecting_levels_collects_once()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 3), (220, 0), (230, 1)));
        harness.Manager.InstallForceGcCollect(1);
        harness.Manager.InstallForceGcCollect(2);
        harness.Manager.InstallForceGcCollect(3);
        harness.Manager.InstallForceGcCollect(3);
        var collections = new List<int>();
        harness.Manager.Dispatched.Subscribe(_ => collections.Add(GC.CollectionCount(2)));
        var before = GC.CollectionCount(2);

        harness.Scheduler.Start();

        Assert.Equal([before + 1, before + 1, before + 2], collections);
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public void Registrations_refuse_bad_arguments_at_the_call()
    {
        using var harness = new ManagerHarness(Pressure.Ladder);
        var manager = harness.Manager;

        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.CleanupOnEntered(0, new Cache(), _ => { })).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.CleanupOnEntered(4, new Cache(), _ => { })).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => manager.CleanupOnEntered<Cache>(1, null!, _ => { })).ParamName);
        Assert.Equal("cleanup", Assert.Throws<ArgumentNullException>(() => manager.CleanupOnEntered(1, new Cache(), null!)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.InstallForceGcCollect(0)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.InstallForceGcCollect(4)).ParamName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterDyingTarget(MemoryPressureManager manager, Action onCleanup) =>
        manager.CleanupOnEntered(1, new Cache(), _ => onCleanup());
}
