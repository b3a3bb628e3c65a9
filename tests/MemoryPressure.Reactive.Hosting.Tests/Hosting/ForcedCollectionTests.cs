using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Hosting;

/// <summary>A level configured with <see cref="MemoryPressureLevelOptions.ForceGcCollect"/> runs a full blocking collection on each entry.</summary>
public class ForcedCollectionTests
{
    [Fact]
    public async Task Entering_a_level_that_forces_a_collection_runs_a_full_blocking_one()
    {
        var scheduler = new TestScheduler();
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o =>
        {
            o.Samples = TestHosts.Hot(scheduler, (210, 3));
            o.Levels[2].ForceGcCollect = true;
        });
        using var host = builder.Build();
        await host.StartAsync();
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        scheduler.AdvanceTo(300);

        Assert.True(GC.GetGCMemoryInfo(GCKind.FullBlocking).Index > before);
    }
}
