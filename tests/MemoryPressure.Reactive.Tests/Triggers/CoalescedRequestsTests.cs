using System.Reactive;
using System.Reactive.Linq;
using MemoryPressure.Reactive.Triggers;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>The merge and coalescing of trigger requests, in virtual time with fake trigger streams.</summary>
public class CoalescedRequestsTests : ReactiveTest
{
    private const long Gap = 50;

    private static ITestableObserver<Unit> Run(TestScheduler scheduler, IObservable<TriggerSource> requests, long disposed = 1000) =>
        scheduler.Start(() => CoalescedRequests.Create(requests, TimeSpan.FromTicks(Gap), scheduler), created: 100, subscribed: 200, disposed: disposed);

    [Fact]
    public void A_lone_request_gives_one_sample_at_once()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(OnNext(300, TriggerSource.PressureStall));

        var results = Run(scheduler, requests);

        Assert.Equal([301L], results.Messages.Select(m => m.Time));
    }

    [Fact]
    public void A_storm_takes_at_most_one_extra_sample_per_gap_and_one_after_its_last_request()
    {
        var scheduler = new TestScheduler();
        var storm = Enumerable.Range(0, 40).Select(i => OnNext(300 + (i * 5), TriggerSource.PressureLevel)).ToArray();
        var requests = scheduler.CreateHotObservable(storm);

        var results = Run(scheduler, requests);

        // Requests from 300 to 495: a sample at once, then one at the end of each gap while they last.
        Assert.Equal([301L, 351, 401, 451, 501], results.Messages.Select(m => m.Time));
    }

    [Fact]
    public void Requests_of_several_sources_are_merged_into_one_stream_before_coalescing()
    {
        var scheduler = new TestScheduler();
        var gc = scheduler.CreateHotObservable(OnNext(300, TriggerSource.Gen2Collection), OnNext(420, TriggerSource.Gen2Collection));
        var psi = scheduler.CreateHotObservable(OnNext(310, TriggerSource.PressureStall), OnNext(600, TriggerSource.PressureStall));
        var thresholds = scheduler.CreateHotObservable(OnNext(320, TriggerSource.UsageThreshold));

        var results = Run(scheduler, Observable.Merge(gc, psi, thresholds));

        Assert.Equal([301L, 351, 421, 601], results.Messages.Select(m => m.Time));
    }

    [Fact]
    public void Requests_before_subscription_and_after_disposal_take_no_sample()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(
            OnNext(150, TriggerSource.Custom),
            OnNext(300, TriggerSource.Custom),
            OnNext(700, TriggerSource.Custom));

        var results = Run(scheduler, requests, disposed: 500);

        Assert.Equal([301L], results.Messages.Select(m => m.Time));
    }

    [Fact]
    public void Disposal_cancels_a_pending_sample()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(OnNext(300, TriggerSource.Custom), OnNext(310, TriggerSource.Custom));

        var results = Run(scheduler, requests, disposed: 340);

        Assert.Equal([301L], results.Messages.Select(m => m.Time));
    }

    [Fact]
    public void Completion_lets_the_pending_sample_run_then_completes()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(
            OnNext(300, TriggerSource.Custom),
            OnNext(310, TriggerSource.Custom),
            OnCompleted<TriggerSource>(320));

        var results = Run(scheduler, requests);

        results.Messages.AssertEqual(OnNext(301, Unit.Default), OnNext(351, Unit.Default), OnCompleted<Unit>(351));
    }

    [Fact]
    public void Completion_with_nothing_pending_completes_at_once()
    {
        var scheduler = new TestScheduler();
        var requests = scheduler.CreateHotObservable(OnNext(300, TriggerSource.Custom), OnCompleted<TriggerSource>(400));

        var results = Run(scheduler, requests);

        results.Messages.AssertEqual(OnNext(301, Unit.Default), OnCompleted<Unit>(400));
    }

    [Fact]
    public void An_error_passes_at_once_and_drops_the_pending_sample()
    {
        var scheduler = new TestScheduler();
        var error = new InvalidOperationException("source failed");
        var requests = scheduler.CreateHotObservable(
            OnNext(300, TriggerSource.Custom),
            OnNext(310, TriggerSource.Custom),
            OnError<TriggerSource>(320, error));

        var results = Run(scheduler, requests);

        results.Messages.AssertEqual(OnNext(301, Unit.Default), OnError<Unit>(320, error));
    }

    [Fact]
    public void Never_gives_nothing()
    {
        var results = Run(new TestScheduler(), Observable.Never<TriggerSource>());

        Assert.Empty(results.Messages);
    }
}
