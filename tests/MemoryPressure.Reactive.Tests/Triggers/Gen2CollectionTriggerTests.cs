using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>
/// Extra samples after garbage collections (full ones, and every one): real collections, real time, waits bounded by a
/// signal. Serial: a collection started by a parallel test would be counted here.
/// </summary>
/// <remarks>
/// The waits are generous (a loaded machine can hold the thread pool back for seconds) because what is
/// checked is that the sample comes, not how soon: with polling once an hour, any sample after the
/// first is a triggered one. Counts are checked against the collections the runtime itself counted,
/// so a collection the runtime starts on its own is no failure.
/// </remarks>
[Collection(SerialTests.Name)]
public class Gen2CollectionTriggerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>A manager that polls once an hour, so that any sample after the first is a triggered one.</summary>
    private static MemoryPressureManager Manager(SemaphoreSlim reads) =>
        new(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ =>
            {
                reads.Release();
                return Pressure.AtLevel(0, 0);
            }),
            CheckInterval = TimeSpan.FromHours(1),
            Triggers = new MemoryPressureTriggers { Collections = false, PressureStall = false, UsageThresholds = false, PressureLevel = false },
        });

    /// <summary>
    /// Waits, within the bound, until the source has signalled once per gen2 collection the runtime counted
    /// since <paramref name="gen2"/>: a background collection the runtime begins on its own (the large
    /// objects an earlier test left can start one) is counted when it starts and finalizes the callback
    /// only when it ends.
    /// </summary>
    private static bool SignalsMatchCollections(CollectionSource source, int gen2, long signals) =>
        SpinWait.SpinUntil(
            () =>
            {
                GC.WaitForPendingFinalizers();
                return source.Status.Snapshot().Signals - signals == GC.CollectionCount(2) - gen2;
            },
            Bound);

    [Fact]
    public void A_blocking_gen2_collection_makes_the_manager_sample()
    {
        using var reads = new SemaphoreSlim(0);
        using var manager = Manager(reads);
        Assert.True(reads.Wait(Bound), "no first sample");
        var before = GC.CollectionCount(2);

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        Assert.True(reads.Wait(Bound), "no sample after a blocking gen2 collection");
        GC.WaitForPendingFinalizers();
        Assert.InRange(manager.Triggers.Single(t => t.Source == TriggerSource.Gen2Collection).Signals, 1, GC.CollectionCount(2) - before);
    }

    [Fact]
    public void A_background_gen2_collection_makes_the_manager_sample()
    {
        using var reads = new SemaphoreSlim(0);
        using var manager = Manager(reads);
        Assert.True(reads.Wait(Bound), "no first sample");

        // Live data for the collector to mark, or it may judge a background collection not worth it.
        var live = Enumerable.Range(0, 1000).Select(_ => new byte[100_000]).ToList();
        var backgroundBefore = GC.GetGCMemoryInfo(GCKind.Background).Index;
        GC.Collect(2, GCCollectionMode.Forced, blocking: false);

        Assert.True(reads.Wait(Bound), "no sample after a background gen2 collection");

        // The sample may come before the collection ends and its figures are published: wait for them.
        Assert.True(
            SpinWait.SpinUntil(() => GC.GetGCMemoryInfo(GCKind.Background).Index > backgroundBefore, Bound),
            "the runtime ran the collection blocking, not in the background");
        GC.KeepAlive(live);
    }

    [Fact]
    public void Gen0_and_gen1_collections_request_nothing_and_each_gen2_collection_requests_once()
    {
        var sink = new CountingSink();
        using var source = CollectionSource.Start(sink, TriggerSource.Gen2Collection);
        var gen2 = GC.CollectionCount(2);

        // The callback object is young: these collections finalize it, and it must see no gen2 count move.
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        Assert.True(SignalsMatchCollections(source, gen2, 0), "the gen0 and gen1 collections did not request once per gen2 collection counted");

        gen2 = GC.CollectionCount(2);
        var signals = source.Status.Snapshot().Signals;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        Assert.True(SignalsMatchCollections(source, gen2, signals), "the gen2 collections did not request once each");
        Assert.InRange(GC.CollectionCount(2) - gen2, 2, int.MaxValue);
        Assert.True(sink.Requested.Wait(Bound), "the request did not reach the sink from the thread pool");
    }

    [Fact]
    public void A_disposed_source_stops_at_the_next_collection()
    {
        var sink = new CountingSink();
        var source = CollectionSource.Start(sink, TriggerSource.Gen2Collection);
        source.Dispose();

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        Assert.Equal(0, source.Status.Snapshot().Signals);
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public void Every_collection_of_any_generation_requests_once_when_Collections_is_on()
    {
        var sink = new CountingSink();
        using var source = CollectionSource.Start(sink, TriggerSource.Collection);
        var collections = GC.CollectionCount(0);

        for (var i = 0; i < 3; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        // Every collection counts in generation 0's count, and condemns the callback's generation.
        Assert.InRange(source.Status.Snapshot().Signals, 4, GC.CollectionCount(0) - collections);
        Assert.True(sink.Requested.Wait(Bound), "the request did not reach the sink from the thread pool");
    }

    [Fact]
    public void A_gen0_collection_makes_a_manager_sample_through_Collections_alone()
    {
        using var reads = new SemaphoreSlim(0);
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ =>
            {
                reads.Release();
                return Pressure.AtLevel(0, 0);
            }),
            CheckInterval = TimeSpan.FromHours(1),
            Triggers = new MemoryPressureTriggers { Gen2Collections = false, PressureStall = false, UsageThresholds = false, PressureLevel = false },
        });
        Assert.True(reads.Wait(Bound), "no first sample");

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);

        Assert.True(reads.Wait(Bound), "no sample after a gen0 collection");
        Assert.Equal(TriggerState.Off, manager.Triggers.Single(t => t.Source == TriggerSource.Gen2Collection).State);
        Assert.InRange(manager.Triggers.Single(t => t.Source == TriggerSource.Collection).Signals, 1, long.MaxValue);
    }

    [Fact]
    public void A_disposed_every_collection_source_stops_at_the_next_collection()
    {
        var sink = new CountingSink();
        var source = CollectionSource.Start(sink, TriggerSource.Collection);
        source.Dispose();

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        Assert.Equal(0, source.Status.Snapshot().Signals);
        Assert.Equal(0, sink.Count);
    }

    private sealed class CountingSink : ITriggerSink
    {
        private int _count;

        public SemaphoreSlim Requested { get; } = new(0);

        public int Count => Volatile.Read(ref _count);

        public void Request(TriggerSource source)
        {
            Interlocked.Increment(ref _count);
            Requested.Release();
        }

        public void Report(Exception error)
        {
        }
    }
}
