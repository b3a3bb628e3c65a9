using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>What judging a sample allocates, counted on the feeding thread (a count, not a timing).</summary>
public class ManagerAllocationTests
{
    [Fact]
    public void Judging_samples_allocates_nothing_whether_the_level_stays_or_changes()
    {
        using var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        long sink = 0;
        manager.Samples.Subscribe(s => sink += s.ProcessResidentBytes);
        manager.Changes.Subscribe(c => sink += c.To);
        manager.Levels.Subscribe(l => sink += l);
        manager.Entered(2).Subscribe(_ => sink++);
        manager.Left(2).Subscribe(_ => sink++);
        manager.Remaining(1, TimeSpan.FromTicks(5)).Subscribe(_ => sink++);
        manager.MemoryNormal.Subscribe(_ => sink++);
        var cache = new object();
        manager.CleanupOnEntered(2, cache, static c => c.GetHashCode());
        var steady = Pressure.AtLevel(0, 1);
        var pressed = Pressure.AtLevel(0, 2);
        feed.OnNext(steady);
        feed.OnNext(pressed);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            feed.OnNext(steady with { Timestamp = new DateTimeOffset(i * 10, TimeSpan.Zero) });
            feed.OnNext(pressed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
        GC.KeepAlive(cache);
    }
}
