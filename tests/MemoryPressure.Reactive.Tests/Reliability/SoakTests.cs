using System.Diagnostics;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>A manager fed as fast as one thread can while 100 subscribers come and go from other threads.</summary>
/// <remarks>
/// A quota of work, not a window of time: the feeder goes on until both counts are reached. The
/// manager's lock is not fair, and a feeder that takes it again at once can hold off the churners for
/// long stretches beside busy neighbours, so a fixed window counted anything from a few hundred
/// subscriptions to more than a million. Each loop has a thread of its own, which starts at once however
/// slowly the thread pool grows.
/// </remarks>
[Collection(SerialTests.Name)]
[Trait("Category", "Reliability")]
public class SoakTests(ITestOutputHelper output)
{
    private const long SampleQuota = 1_000_000;
    private const long SubscriptionQuota = 1_000;

    /// <summary>How long the feeder may take to reach both quotas: about 2 s alone, 3 to 11 s beside a busy loop on each core; only a starved run comes near it.</summary>
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(3);

    /// <summary>How long past the time limit the loops may take to end before the test calls it a deadlock.</summary>
    private static readonly TimeSpan DeadlockBound = TimeSpan.FromSeconds(60);

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
    public void Every_subscriber_sees_a_contiguous_path_the_heap_does_not_grow_and_nothing_deadlocks()
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
        var clock = Stopwatch.StartNew();

        var feeder = OwnThread.Start(() =>
        {
            try
            {
                while ((samples < SampleQuota || Interlocked.Read(ref finished.Subscriptions) < SubscriptionQuota) && clock.Elapsed < TimeLimit)
                {
                    for (var i = 0; i < 1000; i++)
                    {
                        feed.OnNext(RandomLevels.Sample(samples++));
                    }
                }
            }
            finally
            {
                stop.Cancel();
            }
        });
        var churners = Enumerable.Range(0, 2).Select(seed => OwnThread.Start(() =>
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

        // A deadlock shows as a loop that has not ended.
        var ended = feeder.Join(TimeLimit + DeadlockBound) && churners.All(churner => churner.Join(DeadlockBound));
        var elapsed = clock.Elapsed;
        var churned = Interlocked.Read(ref finished.Subscriptions);
        var counts = $"{samples:N0} samples and {churned:N0} subscriptions in {elapsed.TotalSeconds:N1} s (quotas {SampleQuota:N0} and {SubscriptionQuota:N0}, time limit {TimeLimit.TotalSeconds:N0} s)";
        Assert.True(ended, $"deadlock: the loops had not ended after {counts}");

        foreach (var slot in slots.Where(s => s.Subscription is not null))
        {
            Toggle(manager, slot, finished);
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{counts}: {samples / elapsed.TotalSeconds:N0} samples/s with 100 subscriber slots, {finished.Steps:N0} steps checked");
        output.WriteLine($"managed heap after a full collection: {heapBefore:N0} B before, {heapAfter:N0} B after (bound {HeapGrowthBound:N0} B)");

        Assert.Empty(errors);
        Assert.Empty(finished.Violations);
        Assert.True(samples >= SampleQuota && churned >= SubscriptionQuota, $"quotas not reached within the time limit: {counts}");
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
