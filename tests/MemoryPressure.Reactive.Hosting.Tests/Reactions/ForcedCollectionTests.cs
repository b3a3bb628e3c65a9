using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Reactions;

/// <summary>
/// A level configured with <see cref="MemoryPressureLevelOptions.ForceGcCollect"/> collects once the
/// manager is done with the sample; alone, so that no other test's collections are counted.
/// </summary>
[Collection(nameof(ForcedCollectionTests))]
[CollectionDefinition(nameof(ForcedCollectionTests), DisableParallelization = true)]
public class ForcedCollectionTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public async Task Entering_a_level_that_forces_a_collection_runs_one_full_blocking_collection_per_sample()
    {
        using var host = ForcingHost([(210, 3)], levels: [1, 2, 3]);
        await host.StartAsync();
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        _scheduler.AdvanceTo(300);

        Assert.Equal(before + 1, GC.GetGCMemoryInfo(GCKind.FullBlocking).Index);
    }

    [Fact]
    public async Task The_collection_comes_after_the_cleanup_actions_so_that_it_collects_what_they_dropped()
    {
        using var host = ForcingHost([(210, 3)], levels: [3]);
        var holder = new Holder();
        var dropped = Fill(holder);
        using var registration = host.Manager().CleanupOnEntered(3, holder, static h => h.Payload = null);
        await host.StartAsync();

        _scheduler.AdvanceTo(300);

        Assert.False(dropped.IsAlive);
    }

    [Fact]
    public async Task A_level_held_while_its_room_shrinks_by_a_quarter_collects_again()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Manager.Samples = _scheduler.CreateHotObservable(
                [.. new long[] { 91, 92, 94 }.Select((used, i) => ReactiveTest.OnNext(210 + (10 * i), Pressure.Sample(210 + (10 * i), used)))]);
            o.Levels[2].ForceGcCollect = true;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var before = LastFullBlocking();

        _scheduler.AdvanceTo(215);
        var afterEntry = LastFullBlocking();
        _scheduler.AdvanceTo(225);
        var afterOneByte = LastFullBlocking();
        _scheduler.AdvanceTo(300);

        Assert.True(afterEntry > before, "entering the level collects");
        Assert.Equal(afterEntry, afterOneByte);
        Assert.True(LastFullBlocking() > afterOneByte, "the room falling from 9 bytes to 6, by more than a quarter, collects again");
    }

    [Fact]
    public async Task On_a_level_that_compacts_part_of_the_cache_the_collection_follows_the_compaction_on_its_scheduler()
    {
        var compactions = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 2));
            (o.Levels[1].CompactMemoryCachePercent, o.Levels[1].ForceGcCollect, o.Manager.Scheduler) = (50, true, compactions);
        });
        using var host = builder.Build();
        var cache = (MemoryCache)host.Services.GetRequiredService<IMemoryCache>();
        var dropped = FillLowPriority(cache);
        await host.StartAsync();
        var before = LastFullBlocking();

        _scheduler.AdvanceTo(300);
        var afterTheSample = LastFullBlocking();
        compactions.Start();

        Assert.Equal(before, afterTheSample);
        Assert.True(LastFullBlocking() > afterTheSample, "the compaction's collection ran");
        Assert.False(dropped.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference FillLowPriority(MemoryCache cache)
    {
        var payload = new byte[1024];
        cache.Set("first to go", payload, new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low });
        for (var i = 0; i < 9; i++)
        {
            cache.Set(i, i);
        }

        return new WeakReference(payload);
    }

    /// <summary>The index of the latest full blocking collection: it changes with each one, whatever other collections run between.</summary>
    private static long LastFullBlocking() => GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Fill(Holder holder)
    {
        holder.Payload = new byte[1024];
        return new WeakReference(holder.Payload);
    }

    private IHost ForcingHost((long Ticks, int Level)[] samples, int[] levels)
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, samples);
            foreach (var level in levels)
            {
                o.Levels[level - 1].ForceGcCollect = true;
            }
        });
        return builder.Build();
    }

    private sealed class Holder
    {
        public byte[]? Payload { get; set; }
    }
}
