using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Reactions;

/// <summary>
/// A level that stays the highest in effect acts again, by the manager's own repeat
/// (<see cref="LadderLevel.RepeatAfterGrowthPercent"/>), each time the room its condition reads has shrunk
/// by <see cref="MemoryPressureLevelOptions.RepeatAfterGrowthPercent"/> of the most it saw since the level
/// last acted; in virtual time, on the <see cref="Pressure"/> ladder (level 3: under 10 of 100 bytes of
/// room), the cache refilled to 100 entries before each sample.
/// </summary>
public class LevelRepeatTests : ReactiveTest
{
    [Fact]
    public async Task A_held_level_empties_the_cache_again_each_time_its_room_shrank_by_a_quarter_of_the_most_it_had()
    {
        // Room 9 on entry; 8 is not a quarter less, 6 is (a repeat, counted afresh from 6); 5 is not, 4 is.
        var counts = await CountsAfterEachSample(o => o.Levels[2].CompactMemoryCachePercent = 100, 91, 92, 94, 95, 96);

        Assert.Equal([0, 100, 0, 100, 0], counts);
    }

    [Fact]
    public async Task A_level_below_the_highest_in_effect_does_not_act_again()
    {
        // Level 2 (under 20 bytes of room) is held from 19 to 11 bytes and repeats; level 1's cache stays.
        var counts = await CountsAfterEachSample(o => o.Levels[0].CompactMemoryCachePercent = 100, 81, 85, 89);

        Assert.Equal([0, 100, 100], counts);
    }

    [Fact]
    public async Task Each_levels_share_reaches_the_ladder_and_a_level_set_to_never_acts_only_on_entry()
    {
        var scheduler = new TestScheduler();
        using var host = HostOn(scheduler, [91, 99], o => (o.Levels[1].RepeatAfterGrowthPercent, o.Levels[2].CompactMemoryCachePercent, o.Levels[2].RepeatAfterGrowthPercent) = (50, 100, null));
        await host.StartAsync();
        var cache = (MemoryCache)host.Services.GetRequiredService<IMemoryCache>();
        var counts = Run(scheduler, cache, 2);

        Assert.Equal([25, 50, null], host.Manager().Ladder.Levels.Select(l => l.RepeatAfterGrowthPercent));
        Assert.Equal([0, 100], counts);
        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "MemoryPressureLevelRepeated");
    }

    [Fact]
    public async Task Each_repeat_is_logged_as_a_warning_from_the_managers_repeat_with_the_sample_and_the_tightest_limit()
    {
        var scheduler = new TestScheduler();
        using var host = HostOn(scheduler, [91, 94], o => (o.Levels[2].Name, o.Levels[2].CompactMemoryCachePercent) = ("critical", 100));
        var repeats = new List<MemorySample>();
        host.Manager().Repeated(3).Subscribe(repeats.Add);
        await host.StartAsync();
        scheduler.AdvanceTo(300);

        var repeated = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "MemoryPressureLevelRepeated");

        Assert.Equal(94, Assert.Single(repeats).ProcessResidentBytes);
        Assert.Equal(LogLevel.Warning, repeated.Level);
        Assert.Equal(
            "Memory pressure level 3 (critical) is still in effect and memory grew back since the level last acted: it acts again; "
            + "resident 94 B of 100 B, managed heap 0 B, system available 500 B of 1000 B; the tightest limit is Cgroup, 6 B of 100 B left",
            repeated.Message);
        Assert.Equal(("94", "6", "100"), (repeated.GetStructuredStateValue("ProcessResidentBytes"), repeated.GetStructuredStateValue("BindingHeadroomBytes"), repeated.GetStructuredStateValue("BindingLimitBytes")));
    }

    /// <summary>Runs a fresh host, with a clock of its own, over samples of the given resident bytes.</summary>
    private static async Task<List<int>> CountsAfterEachSample(Action<MemoryPressureHostingOptions> configure, params long[] resident)
    {
        var scheduler = new TestScheduler();
        using var host = HostOn(scheduler, resident, configure);
        await host.StartAsync();
        var counts = Run(scheduler, (MemoryCache)host.Services.GetRequiredService<IMemoryCache>(), resident.Length);
        await host.StopAsync();
        return counts;
    }

    /// <summary>Fills the cache before each sample and counts it after.</summary>
    private static List<int> Run(TestScheduler scheduler, MemoryCache cache, int samples)
    {
        var counts = new List<int>();
        for (var i = 0; i < samples; i++)
        {
            for (var key = 0; key < 100; key++)
            {
                cache.Set(key, key);
            }

            scheduler.AdvanceTo(Ticks(i));
            counts.Add(cache.Count);
        }

        return counts;
    }

    /// <summary>A host on the <see cref="Pressure"/> ladder, its limit the cgroup's, fed samples of the given resident bytes 10 ticks apart from 210.</summary>
    private static IHost HostOn(TestScheduler scheduler, long[] resident, Action<MemoryPressureHostingOptions> configure)
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = scheduler.CreateHotObservable([.. resident.Select((used, i) => OnNext(Ticks(i), Pressure.Sample(Ticks(i), used) with { ProcessLimitSource = MemoryLimitSource.Cgroup, CgroupLimitBytes = Pressure.Limit }))]);
            configure(o);
        });
        return builder.Build();
    }

    private static long Ticks(int index) => 210 + (10 * index);
}
