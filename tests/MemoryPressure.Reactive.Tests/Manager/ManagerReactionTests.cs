using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>Held levels that act again as memory grows back, the native heap trim, and what each reaction freed.</summary>
[Collection(SerialTests.Name)]
public class ManagerReactionTests : ReactiveTest
{
    private const long MiB = 1 << 20;

    private sealed class Cache
    {
        public int Cleared { get; set; }
    }

    /// <summary>A sample with <paramref name="residentMiB"/> of a 1000 MiB limit resident, at <paramref name="ticks"/>.</summary>
    private static Recorded<System.Reactive.Notification<MemorySample>> At(long ticks, long residentMiB, long heapMiB = 0) =>
        OnNext(ticks, new MemorySample
        {
            Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero),
            ProcessResidentBytes = residentMiB * MiB,
            ManagedHeapBytes = heapMiB * MiB,
            ProcessLimitBytes = 1000 * MiB,
            ProcessLimitSource = MemoryLimitSource.Explicit,
            SystemTotalBytes = 24L << 30,
            SystemAvailableBytes = 20L << 30,
        });

    private static SeverityLadder OneLevel(double? repeatAfter = 25) =>
        new(new LadderLevel(new LocalRelativeValue(40)) { RepeatAfterGrowthPercent = repeatAfter });

    [Fact]
    public void A_held_level_acts_again_each_time_memory_grows_back_by_a_quarter_of_its_room()
    {
        // Entered with 350 MiB of room: it acts again at 262.5 MiB or less, then from that mark on.
        using var harness = new ManagerHarness(OneLevel(), At(210, 500), At(220, 650), At(230, 700), At(240, 740), At(250, 790), At(260, 810));
        var cache = new Cache();
        harness.Manager.CleanupOnEntered(1, cache, static c => c.Cleared++);
        var entered = harness.Record(harness.Manager.Entered(1));
        var repeated = harness.Record(harness.Manager.Repeated(1));

        harness.Scheduler.Start();

        Assert.Single(entered.Messages);
        Assert.Equal([240L, 260L], repeated.Messages.Select(m => m.Time));
        Assert.Equal(3, cache.Cleared);
        Assert.Empty(harness.Errors);
    }

    [Fact]
    public void The_mark_is_the_most_room_seen_since_the_level_last_acted()
    {
        // Entered with 350 MiB of room; its reaction gave back 40 MiB (390), so 280 MiB is a quarter less: from 350 it would not be.
        using var harness = new ManagerHarness(OneLevel(), At(210, 650), At(220, 610), At(230, 720));
        var repeated = harness.Record(harness.Manager.Repeated(1));

        harness.Scheduler.Start();

        Assert.Equal([230L], repeated.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_level_without_a_repeat_share_acts_on_entry_only()
    {
        using var harness = new ManagerHarness(OneLevel(repeatAfter: null), At(210, 650), At(220, 800), At(230, 990));
        var cache = new Cache();
        harness.Manager.CleanupOnEntered(1, cache, static c => c.Cleared++);
        var repeated = harness.Record(harness.Manager.Repeated(1));

        harness.Scheduler.Start();

        Assert.Empty(repeated.Messages);
        Assert.Equal(1, cache.Cleared);
    }

    [Fact]
    public void Only_the_highest_level_acts_again_and_never_on_a_sample_that_changed_the_level()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(40), new LocalRelativeValue(20));
        using var harness = new ManagerHarness(ladder, At(210, 650), At(220, 850), At(230, 900), At(240, 700), At(250, 760));
        var one = harness.Record(harness.Manager.Repeated(1));
        var two = harness.Record(harness.Manager.Repeated(2));

        harness.Scheduler.Start();

        // 220 entered level 2 with 150 MiB of room (level 1's room had shrunk by 200, but the level changed);
        // 230 has 100 MiB (a third less): level 2 acts again. 240 steps down to 1 with 300 MiB; 250 has 240 (a fifth less).
        Assert.Empty(one.Messages);
        Assert.Equal([230L], two.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_level_acting_again_runs_its_forced_collection_again()
    {
        using var harness = new ManagerHarness(OneLevel(), At(210, 650), At(220, 780), At(230, 780));
        harness.Manager.InstallForceGcCollect(1);
        var collections = new List<int>();
        harness.Manager.Samples.Subscribe(_ => collections.Add(GC.CollectionCount(2)));

        harness.Scheduler.Start();

        // Samples are published before their events: each count shows the collections of the samples before.
        Assert.True(collections[1] > collections[0], "no full collection on entry");
        Assert.True(collections[2] > collections[1], "no full collection when the level acted again");
    }

    [Fact]
    public void Each_reaction_is_published_with_the_sample_after_it_before_that_samples_events()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(40), new LocalRelativeValue(20));
        using var harness = new ManagerHarness(ladder, At(210, 500, heapMiB: 300), At(220, 850, heapMiB: 400), At(230, 700, heapMiB: 100), At(240, 780, heapMiB: 150), At(250, 700));
        var order = new List<string>();
        harness.Manager.Samples.Subscribe(s => order.Add($"sample {s.Timestamp.Ticks}"));
        harness.Manager.Changes.Subscribe(c => order.Add($"step {c.From}->{c.To}"));
        harness.Manager.Reactions.Subscribe(r => order.Add($"reaction {r.Level} {r.Kind} {r.Before.Timestamp.Ticks}->{r.After.Timestamp.Ticks}"));
        var reactions = harness.Record(harness.Manager.Reactions);

        harness.Scheduler.Start();

        Assert.Equal(
            [
                "sample 210", "sample 220", "step 0->1", "step 1->2",
                "sample 230", "reaction 1 Entered 220->230", "reaction 2 Entered 220->230", "step 2->1",
                "sample 240", "sample 250", "reaction 1 Repeated 240->250",
            ],
            order);
        var first = reactions.Messages[0].Value.Value;
        Assert.Equal(150 * MiB, first.ResidentBytesFreed);
        Assert.Equal(300 * MiB, first.ManagedHeapBytesFreed);
        Assert.Equal(TimeSpan.FromTicks(10), first.Elapsed);
    }

    [Fact]
    public void A_reaction_waiting_for_its_sample_after_is_dropped_by_Stop()
    {
        using var harness = new ManagerHarness(OneLevel(), At(210, 650), At(230, 650));
        var reactions = harness.Record(harness.Manager.Reactions);
        harness.Scheduler.ScheduleAbsolute(215, () => harness.Manager.Stop());
        harness.Scheduler.ScheduleAbsolute(225, () => harness.Manager.Resume());

        harness.Scheduler.Start();

        Assert.Empty(reactions.Messages);
    }

    [Fact]
    public void The_native_heap_trim_is_available_here_where_the_C_library_is_glibc()
    {
        Assert.True(NativeHeap.CanTrim, NativeHeap.Status);
        Assert.StartsWith("malloc_trim(0) of glibc 2.", NativeHeap.Status, StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_outside_the_ladder_and_repeat_shares_outside_0_to_100_are_refused_by_name()
    {
        using var harness = new ManagerHarness(OneLevel());

        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => harness.Manager.Repeated(0)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => harness.Manager.Repeated(2)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => harness.Manager.InstallTrimNativeHeap(0)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => harness.Manager.InstallTrimNativeHeap(2)).ParamName);
        foreach (var percent in new[] { 0, -1, 100.5, double.NaN })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LadderLevel(new LocalRelativeValue(10)) { RepeatAfterGrowthPercent = percent });
            Assert.Equal(nameof(LadderLevel.RepeatAfterGrowthPercent), error.ParamName);
        }
    }

    [Fact]
    public void Dispose_completes_the_new_observables_and_ignores_a_trim_installed_afterwards()
    {
        var harness = new ManagerHarness(OneLevel());
        var reactions = harness.Record(harness.Manager.Reactions);
        var repeated = harness.Record(harness.Manager.Repeated(1));
        var limits = harness.Record(harness.Manager.LimitChanges);

        harness.Dispose();

        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, Assert.Single(reactions.Messages).Value.Kind);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, Assert.Single(repeated.Messages).Value.Kind);
        Assert.Equal(System.Reactive.NotificationKind.OnCompleted, Assert.Single(limits.Messages).Value.Kind);
        harness.Manager.InstallTrimNativeHeap().Dispose();
    }
}
