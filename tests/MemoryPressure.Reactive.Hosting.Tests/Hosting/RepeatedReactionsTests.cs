using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Hosting;

/// <summary>
/// A level that stays the highest in effect acts again each time the managed heap has grown back by
/// <see cref="MemoryPressureLevelOptions.RepeatAfterHeapGrowthPercent"/> of its limit; in virtual time,
/// on the <see cref="Pressure"/> ladder, the cache refilled to 100 entries before each sample.
/// </summary>
public class RepeatedReactionsTests : ReactiveTest
{
    [Fact]
    public async Task A_held_top_level_empties_the_cache_again_once_the_heap_grew_back_by_a_quarter_of_the_GCs_cap_from_its_lowest()
    {
        // The GC's cap is 200 bytes, so a quarter is 50; the process limit (100) is not the one counted.
        var counts = await CountsAfterEachSample(
            o => o.Levels[2].CompactMemoryCachePercent = 100,
            (3, 60), (3, 10), (3, 59), (3, 60), (3, 70), (3, 119), (3, 120));

        Assert.Equal([0, 100, 100, 0, 100, 100, 0], counts);
    }

    [Fact]
    public async Task A_level_below_the_highest_in_effect_does_not_repeat_and_counts_afresh_once_it_is_the_highest()
    {
        var counts = await CountsAfterEachSample(
            o => o.Levels[0].CompactMemoryCachePercent = 100,
            (2, 10), (2, 90), (1, 90), (1, 139), (1, 140));

        Assert.Equal([0, 100, 100, 100, 0], counts);
    }

    [Fact]
    public async Task Without_a_GC_cap_the_growth_is_a_share_of_the_process_limit()
    {
        var counts = await CountsAfterEachSample(
            o => o.Levels[2].CompactMemoryCachePercent = 100,
            [(3, 10), (3, 34), (3, 35)],
            gcHeapHardLimit: 0);

        Assert.Equal([0, 100, 0], counts);
    }

    [Fact]
    public async Task A_level_set_to_never_repeat_acts_only_on_entry_and_a_configured_share_replaces_the_quarter()
    {
        var never = await CountsAfterEachSample(
            o => (o.Levels[2].CompactMemoryCachePercent, o.Levels[2].RepeatAfterHeapGrowthPercent) = (100, null),
            (3, 10), (3, 200));
        var half = await CountsAfterEachSample(
            o => (o.Levels[2].CompactMemoryCachePercent, o.Levels[2].RepeatAfterHeapGrowthPercent) = (100, 50),
            (3, 10), (3, 109), (3, 110));

        Assert.Equal([0, 100], never);
        Assert.Equal([0, 100, 0], half);
    }

    [Fact]
    public async Task A_level_left_and_entered_again_counts_from_its_new_entry()
    {
        // Left at 10 and entered again at 90: the heap grew by 80 while the level was not in effect.
        var counts = await CountsAfterEachSample(
            o => o.Levels[2].CompactMemoryCachePercent = 100,
            (3, 10), (2, 10), (3, 90), (3, 139), (3, 140));

        Assert.Equal([0, 100, 0, 100, 0], counts);
    }

    [Fact]
    public async Task Each_repeat_is_logged_as_a_warning_with_how_far_the_heap_grew_back()
    {
        var scheduler = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Samples = Samples(scheduler, [(3, 10), (3, 70)], gcHeapHardLimit: 200);
            (o.Levels[2].Name, o.Levels[2].CompactMemoryCachePercent) = ("critical", 100);
        });
        using var host = builder.Build();
        await host.StartAsync();
        scheduler.AdvanceTo(300);

        var repeated = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "MemoryPressureLevelRepeated");

        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, repeated.Level);
        Assert.Equal(
            "Memory pressure level 3 (critical) is still in effect and the managed heap grew back by 60 B since the level last acted: it acts again; resident 95 B of 100 B, managed heap 70 B, system available 500 B of 1000 B",
            repeated.Message);
        Assert.Equal("60", repeated.GetStructuredStateValue("HeapGrowthBytes"));
    }

    private static Task<List<int>> CountsAfterEachSample(Action<MemoryPressureHostingOptions> configure, params (int Level, long Heap)[] samples) =>
        CountsAfterEachSample(configure, samples, gcHeapHardLimit: 200);

    /// <summary>Runs a fresh host, with a clock of its own, over the samples.</summary>
    private static async Task<List<int>> CountsAfterEachSample(Action<MemoryPressureHostingOptions> configure, (int Level, long Heap)[] samples, long gcHeapHardLimit)
    {
        var scheduler = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Samples = Samples(scheduler, samples, gcHeapHardLimit);
            configure(o);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var cache = (MemoryCache)host.Services.GetRequiredService<IMemoryCache>();
        var counts = new List<int>();
        for (var i = 0; i < samples.Length; i++)
        {
            for (var key = 0; key < 100; key++)
            {
                cache.Set(key, key);
            }

            scheduler.AdvanceTo(Ticks(i));
            counts.Add(cache.Count);
        }

        await host.StopAsync();
        return counts;
    }

    private static ITestableObservable<MemorySample> Samples(TestScheduler scheduler, (int Level, long Heap)[] samples, long gcHeapHardLimit) =>
        scheduler.CreateHotObservable([.. samples.Select((s, i) => OnNext(Ticks(i), Pressure.AtLevel(Ticks(i), s.Level) with { ManagedHeapBytes = s.Heap, GcHeapHardLimitBytes = gcHeapHardLimit }))]);

    private static long Ticks(int index) => 210 + (10 * index);
}
