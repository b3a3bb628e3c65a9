using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Reactions;

/// <summary>
/// The registered memory cache is compacted on entering a level, by the level's percentage, in virtual
/// time: a partial compaction on the host's scheduler (here the test's, or a second one to see it wait),
/// emptying at once.
/// </summary>
public class CacheCompactionTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public async Task Each_entry_into_a_compacting_level_drops_its_share_of_the_memory_cache_and_other_levels_leave_it_alone()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 1), (220, 2), (230, 1), (240, 2), (250, 3));
            (o.Levels[1].CompactMemoryCachePercent, o.Manager.Scheduler) = (50, _scheduler);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);

        await host.StartAsync();
        var counts = new List<int>();
        // Read 5 ticks after each sample: the test's scheduler runs work scheduled "now" a tick later.
        for (var ticks = 215; ticks <= 255; ticks += 10)
        {
            _scheduler.AdvanceTo(ticks);
            counts.Add(cache.Count);
        }

        Assert.Equal([100, 50, 50, 25, 25], counts);
    }

    [Fact]
    public async Task A_level_from_configuration_compacts_by_its_configured_percentage()
    {
        var builder = TestHosts.Builder("good.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 2));
            (o.Manager.MaximumAvailableBytes, o.Levels[1].EnterAfter, o.Manager.Scheduler) = (Pressure.Limit, TimeSpan.Zero, _scheduler);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);

        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(2, host.Manager().SeverityLevel);
        Assert.Equal(75, cache.Count);
    }

    [Fact]
    public async Task A_partial_compaction_waits_for_the_hosts_scheduler_and_entries_asked_for_meanwhile_merge_into_the_largest_share()
    {
        var compactions = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 1), (220, 2));
            (o.Levels[0].CompactMemoryCachePercent, o.Levels[1].CompactMemoryCachePercent, o.Manager.Scheduler) = (25, 50, compactions);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);

        await host.StartAsync();
        _scheduler.AdvanceTo(300);
        var beforeTheCompaction = cache.Count;
        compactions.Start();

        Assert.Equal(2, host.Manager().SeverityLevel);
        Assert.Equal((100, 50), (beforeTheCompaction, cache.Count));
    }

    [Fact]
    public async Task Emptying_the_cache_clears_it_at_once_on_the_managers_thread_even_entries_never_to_be_removed()
    {
        var compactions = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 3));
            (o.Levels[2].CompactMemoryCachePercent, o.Manager.Scheduler) = (100, compactions);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);
        cache.Set("pinned", 1, new MemoryCacheEntryOptions { Priority = CacheItemPriority.NeverRemove });

        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_compaction_that_throws_is_reported_on_Errors_and_the_next_entry_compacts_again()
    {
        var clock = new FailingClock();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache(o => o.Clock = clock).AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 1), (220, 0), (230, 1));
            (o.Levels[0].CompactMemoryCachePercent, o.Manager.Scheduler) = (50, _scheduler);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);
        var errors = new List<Exception>();
        using var subscription = host.Manager().Errors.Subscribe(errors.Add);
        clock.Fails = true;

        await host.StartAsync();
        _scheduler.AdvanceTo(225);
        var afterTheFirst = errors.Count;
        clock.Fails = false;
        _scheduler.AdvanceTo(300);

        Assert.Equal(1, afterTheFirst);
        Assert.Equal("the clock failed", Assert.Single(errors).Message);
        Assert.Equal(50, cache.Count);
    }

    [Fact]
    public async Task Without_a_scheduler_a_partial_compaction_runs_on_a_thread_of_its_own()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Manager.Samples = TestHosts.Hot(_scheduler, (210, 1));
            o.Levels[0].CompactMemoryCachePercent = 50;
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);
        using var evicted = new ManualResetEventSlim();
        cache.Set("first to go", 1, new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low }.RegisterPostEvictionCallback((_, _, _, _) => evicted.Set()));

        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.True(evicted.Wait(TimeSpan.FromSeconds(30)), "the compaction ran");
    }

    [Fact]
    public async Task A_custom_cache_registered_with_CleanupOnEntered_is_trimmed_on_entering_its_level()
    {
        var thumbnails = new ThumbnailCache();
        using var host = TestHosts.WithSamples(_scheduler, [(210, 1), (220, 0), (230, 1)]);
        using var registration = host.Manager().CleanupOnEntered(1, thumbnails, static cache => cache.Trim());

        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(2, thumbnails.Trims);
    }

    private static MemoryCache HundredEntries(IHost host)
    {
        var cache = (MemoryCache)host.Services.GetRequiredService<IMemoryCache>();
        for (var i = 0; i < 100; i++)
        {
            cache.Set(i, i);
        }

        return cache;
    }

    /// <summary>A cache clock that throws when asked the time, as a compaction asks it first.</summary>
    private sealed class FailingClock : Microsoft.Extensions.Internal.ISystemClock
    {
        public bool Fails { get; set; }

        public DateTimeOffset UtcNow => Fails ? throw new InvalidOperationException("the clock failed") : DateTimeOffset.UtcNow;
    }

    private sealed class ThumbnailCache
    {
        public int Trims { get; private set; }

        public void Trim() => Trims++;
    }
}
