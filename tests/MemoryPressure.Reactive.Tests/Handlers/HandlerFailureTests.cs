using System.Collections;
using System.Collections.ObjectModel;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Handlers;

/// <summary>A handler's exception reaches <see cref="MemoryPressureManager.Errors"/> as thrown, labelled with the event and level it served.</summary>
public class HandlerFailureTests : ReactiveTest
{
    [Theory]
    [InlineData("Entered", "Entered", 2)]
    [InlineData("Left", "Left", 1)]
    [InlineData("Remaining", "Remaining", 2)]
    [InlineData("Remaining0", "Remaining", 0)]
    [InlineData("MemoryNormal", "MemoryNormal", 0)]
    [InlineData("Changes", "Changes", 1)]
    [InlineData("Levels", "Levels", 0)]
    [InlineData("Samples", "Samples", 0)]
    [InlineData("Dispatched", "Dispatched", 2)]
    [InlineData("Cleanup", "CleanupOnEntered", 2)]
    public void The_very_exception_thrown_carries_the_event_and_the_level_of_its_handler(string handler, string expectedEvent, int expectedLevel)
    {
        // Level 2 at 210 (steps 0-1, 1-2), still 2 at 220, back to 0 at 230 (steps 2-1, 1-0), 0 again at 240.
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (220, 2), (230, 0), (240, 0)));
        var manager = harness.Manager;
        var thrown = new List<Exception>();
        void Throw()
        {
            var e = new InvalidOperationException(handler);
            thrown.Add(e);
            throw e;
        }

        var cache = new object();
        _ = handler switch
        {
            "Entered" => manager.Entered(2).Subscribe(_ => Throw()),
            "Left" => manager.Left(1).Subscribe(_ => Throw()),
            "Remaining" => manager.Remaining(2).Subscribe(_ => Throw()),
            "Remaining0" => manager.Remaining(0).Subscribe(_ => Throw()),
            "MemoryNormal" => manager.MemoryNormal.Subscribe(_ => Throw()),
            "Changes" => manager.Changes.Subscribe(_ => Throw()),
            "Levels" => manager.Levels.Subscribe(_ => Throw()),
            "Samples" => manager.Samples.Subscribe(_ => Throw()),
            "Dispatched" => manager.Dispatched.Subscribe(_ => Throw()),
            _ => manager.CleanupOnEntered(2, cache, _ => Throw()),
        };

        harness.Scheduler.Start();

        Assert.NotEmpty(thrown);
        Assert.Equal(thrown, harness.Errors);
        Assert.True(HandlerFailure.TryGetHandler(harness.Errors[0], out var handlerEvent, out var level));
        Assert.Equal((expectedEvent, expectedLevel), (handlerEvent, level));
        Assert.Equal((expectedEvent, expectedLevel), (harness.Errors[0].Data[HandlerFailure.EventKey], harness.Errors[0].Data[HandlerFailure.LevelKey]));
        GC.KeepAlive(cache);
    }

    [Fact]
    public void An_exception_instance_thrown_again_by_another_handler_is_labelled_anew_for_each_report()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 0)));
        var shared = new InvalidOperationException("the same instance");
        harness.Manager.Entered(1).Subscribe(_ => throw shared);
        harness.Manager.Left(1).Subscribe(_ => throw shared);
        var labels = new List<(string?, int)>();
        harness.Manager.Errors.Subscribe(e => labels.Add(HandlerFailure.TryGetHandler(e, out var handlerEvent, out var level) ? (handlerEvent, level) : default));

        harness.Scheduler.Start();

        Assert.Equal([("Entered", 1), ("Left", 1)], labels);
        Assert.All(harness.Errors, e => Assert.Same(shared, e));
    }

    [Fact]
    public void Failures_of_the_sample_source_and_reported_errors_are_not_labelled_as_handlers()
    {
        var failure = new IOException("source gone");
        using var harness = new ManagerHarness(Pressure.Ladder, [.. ManagerHarness.Levels((210, 1)), OnError<MemorySample>(220, failure)]);
        var reported = new TimeoutException("from a worker");

        harness.Scheduler.Start();
        harness.Manager.ReportError(reported);

        Assert.Equal([failure, reported], harness.Errors);
        Assert.All(harness.Errors, e => Assert.False(HandlerFailure.TryGetHandler(e, out _, out _)));
    }

    [Fact]
    public void An_exception_whose_data_is_read_only_is_published_unlabelled()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1)));
        var sealedData = new SealedDataException();
        harness.Manager.Entered(1).Subscribe(_ => throw sealedData);

        harness.Scheduler.Start();

        Assert.Same(sealedData, Assert.Single(harness.Errors));
        Assert.False(HandlerFailure.TryGetHandler(sealedData, out var handlerEvent, out var level));
        Assert.Equal((null, 0), (handlerEvent, level));
    }

    [Fact]
    public void Reading_the_label_of_no_exception_is_refused() =>
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => HandlerFailure.TryGetHandler(null!, out _, out _)).ParamName);

    private sealed class SealedDataException : Exception
    {
        public override IDictionary Data { get; } = new ReadOnlyDictionary<object, object?>(new Dictionary<object, object?>());
    }
}
