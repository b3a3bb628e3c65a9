using MemoryPressure.Reactive;
using Microsoft.Reactive.Testing;
using Xunit;

namespace MemoryPressure.Reactive.Tests.Manager;

public class ReadmeExampleTests : ReactiveTest
{
    [Fact]
    public void The_cache_is_cleared_when_headroom_drops_under_20_percent()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(
            OnNext(100, new MemorySample { ProcessLimitBytes = 1000, ProcessResidentBytes = 500 }),
            OnNext(200, new MemorySample { ProcessLimitBytes = 1000, ProcessResidentBytes = 850 }));
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(20)),
            new MemoryPressureOptions { Samples = samples, Scheduler = scheduler });
        var cache = new List<string> { "a", "b" };
        manager.CleanupOnEntered(1, cache, static c => c.Clear());

        scheduler.AdvanceTo(150);
        Assert.Equal(2, cache.Count);

        scheduler.AdvanceTo(250);
        Assert.Empty(cache);
        Assert.Equal(1, manager.SeverityLevel);
    }
}
