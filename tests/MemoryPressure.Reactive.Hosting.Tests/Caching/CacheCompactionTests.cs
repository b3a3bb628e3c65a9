using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Caching;

/// <summary>The registered memory cache is compacted on entering a level, by the level's percentage, in virtual time.</summary>
public class CacheCompactionTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public async Task Each_entry_into_a_compacting_level_drops_its_share_of_the_memory_cache_and_other_levels_leave_it_alone()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryCache().AddMemoryPressure(o =>
        {
            o.Samples = TestHosts.Hot(_scheduler, (210, 1), (220, 2), (230, 1), (240, 2), (250, 3));
            o.Levels[1].CompactMemoryCachePercent = 50;
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);

        await host.StartAsync();
        var counts = new List<int>();
        for (var ticks = 210; ticks <= 250; ticks += 10)
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
            o.Samples = TestHosts.Hot(_scheduler, (210, 2));
            (o.MaximumAvailableBytes, o.Levels[1].EnterAfter) = (Pressure.Limit, TimeSpan.Zero);
        });
        using var host = builder.Build();
        var cache = HundredEntries(host);

        await host.StartAsync();
        _scheduler.AdvanceTo(300);

        Assert.Equal(2, host.Manager().SeverityLevel);
        Assert.Equal(75, cache.Count);
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

    private sealed class ThumbnailCache
    {
        public int Trims { get; private set; }

        public void Trim() => Trims++;
    }
}
