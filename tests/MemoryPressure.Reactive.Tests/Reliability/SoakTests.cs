using System.Diagnostics;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>A manager fed as fast as one thread can while 100 subscribers come and go from other threads.</summary>
[Collection(SerialTests.Name)]
[Trait("Category", "Reliability")]
public class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    /// <summary>The managed heap, after a full collection, may differ by at most this between the start and the end.</summary>
    private const long HeapGrowthBound = 1 << 20;

    /// <summary>What the checkers of ended subscriptions found, kept as counts so the heap does not grow with them.</summary>
    private sealed class Tally
    {
        public long Subscriptions;
        public long Steps;

        public System.Collections.Concurrent.ConcurrentQueue<string> Violations { get; } = new();

        public void Add(PathChecker checker)
        {
            Interlocked.Increment(ref Subscriptions);
            Interlocked.Add(ref Steps, checker.Steps);
            if (checker.Violation is { } violation)
            {
                Violations.Enqueue(violation);
            }
        }
    }

    private sealed class Slot
    {
        public IDisposable? Subscription { get; set; }

        public PathChecker? Checker { get; set; }
    }

    [Fact]
    public async Task Every_subscriber_sees_a_contiguous_path_the_heap_does_not_grow_and_nothing_deadlocks()
    {
        using var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(RandomLevels.Ladder, new MemoryPressureOptions { Samples = feed });
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);
        var slots = Enumerable.Range(0, 100).Select(_ => new Slot()).ToArray();
        var finished = new Tally();
        for (var i = 0; i < 1000; i++)
        {
            feed.OnNext(RandomLevels.Sample(i));
        }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        long samples = 1000;

        var feeder = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Duration)
            {
                for (var i = 0; i < 1000; i++)
                {
                    feed.OnNext(RandomLevels.Sample(samples++));
                }
            }

            stop.Cancel();
        });
        var churners = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var slot = slots[random.Next(slots.Length)];
                lock (slot)
                {
                    Toggle(manager, slot, finished);
                }

                Thread.Yield();
            }
        })).ToArray();

        // A deadlock shows as a TimeoutException.
        await Task.WhenAll([feeder, .. churners]).WaitAsync(Duration + TimeSpan.FromSeconds(60));

        foreach (var slot in slots.Where(s => s.Subscription is not null))
        {
            Toggle(manager, slot, finished);
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{samples:N0} samples in {Duration.TotalSeconds:N0} s ({samples / Duration.TotalSeconds:N0}/s) with 100 subscriber slots, {finished.Subscriptions:N0} subscriptions, {finished.Steps:N0} steps checked");
        output.WriteLine($"managed heap after a full collection: {heapBefore:N0} B before, {heapAfter:N0} B after (bound {HeapGrowthBound:N0} B)");

        Assert.Empty(errors);
        Assert.Empty(finished.Violations);
        Assert.True(samples > 1_000_000, $"only {samples:N0} samples fed");
        Assert.True(finished.Subscriptions > 1000, $"only {finished.Subscriptions} subscriptions came and went");
        Assert.InRange(heapAfter - heapBefore, -HeapGrowthBound, HeapGrowthBound);
    }

    private static void Toggle(MemoryPressureManager manager, Slot slot, Tally finished)
    {
        if (slot.Subscription is { } subscription)
        {
            subscription.Dispose();
            finished.Add(slot.Checker!);

            slot.Subscription = null;
            slot.Checker = null;
        }
        else
        {
            slot.Checker = new PathChecker();
            slot.Subscription = manager.Changes.Subscribe(slot.Checker);
        }
    }
}
