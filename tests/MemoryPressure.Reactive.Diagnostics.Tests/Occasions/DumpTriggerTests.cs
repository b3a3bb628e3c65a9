using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using MemoryPressure.Reactive.Diagnostics.Occasions;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Occasions;

/// <summary>The rate limit and the cap of dumps on a trigger, in virtual time, with fake dumps.</summary>
public sealed class DumpTriggerTests : ReactiveTest, IDisposable
{
    private static readonly DumpLimits EveryHundredTicks = new(TimeSpan.FromTicks(100), 10);

    private readonly TestScheduler _scheduler = new();
    private readonly List<long> _dumpsStarted = [];
    private readonly List<string> _skipped = [];
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>A dump that ends at once with a result stamped with the virtual time it started.</summary>
    private Task<MemoryDumpResult> InstantDump(CancellationToken cancellationToken)
    {
        _dumpsStarted.Add(_scheduler.Clock);
        return Task.FromResult(Result(_scheduler.Clock));
    }

    private static MemoryDumpResult Result(long ticks) => MemoryDumpResult.Failure(new DateTimeOffset(ticks, TimeSpan.Zero), $"dump at {ticks}");

    private IObservable<MemoryDumpResult> Trigger(IObservable<int> levels, DumpLimits limits, Func<CancellationToken, Task<MemoryDumpResult>>? dump = null) =>
        DumpTrigger.Create(levels, dump ?? InstantDump, limits, _scheduler, _skipped.Add);

    private static void AssertReasons(IList<Recorded<Notification<MemoryDumpResult>>> messages, params (long Ticks, string Reason)[] expected) =>
        Assert.Equal(expected, messages.Select(m => (m.Time, m.Value.Value.FailureReason!)));

    [Fact]
    public void A_level_entered_sooner_than_the_minimum_interval_after_the_last_dump_is_skipped()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(210, 2), OnNext(250, 2), OnNext(300, 2), OnNext(320, 2), OnNext(400, 2));

        var results = _scheduler.Start(() => Trigger(entered, EveryHundredTicks));

        Assert.Equal([210L, 320L], _dumpsStarted);
        AssertReasons(results.Messages, (210, "dump at 210"), (320, "dump at 320"));
        Assert.Equal(3, _skipped.Count);
        Assert.All(_skipped, reason => Assert.Contains("apart", reason, StringComparison.Ordinal));
    }

    [Fact]
    public void No_more_dumps_than_the_cap_run_however_far_apart_the_levels_are()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(300, 1), OnNext(1_300, 1), OnNext(2_300, 1), OnNext(3_300, 1));

        _scheduler.Start(() => Trigger(entered, new DumpLimits(TimeSpan.FromTicks(100), MaximumDumps: 2)), created: 100, subscribed: 200, disposed: 10_000);

        Assert.Equal([300L, 1_300L], _dumpsStarted);
        Assert.Equal(["the limit of 2 dumps is reached", "the limit of 2 dumps is reached"], _skipped);
    }

    [Fact]
    public void A_level_entered_while_a_dump_runs_is_skipped_not_queued()
    {
        var running = new TaskCompletionSource<MemoryDumpResult>();
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1), OnNext(220, 1), OnNext(240, 1));
        _scheduler.ScheduleAbsolute(230, () => running.SetResult(Result(230)));
        var dumps = 0;

        var results = _scheduler.Start(() => Trigger(entered, new DumpLimits(TimeSpan.Zero, 10), _ => ++dumps == 1 ? running.Task : InstantDump(default)));

        Assert.Equal(["a dump is already running"], _skipped);
        AssertReasons(results.Messages, (230, "dump at 230"), (240, "dump at 240"));
    }

    [Fact]
    public void A_dump_that_throws_becomes_a_failed_result_and_later_levels_still_dump()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1), OnNext(320, 1));
        var calls = 0;

        var results = _scheduler.Start(() => Trigger(entered, EveryHundredTicks, token => ++calls == 1 ? throw new InvalidOperationException("broken") : InstantDump(token)));

        AssertReasons(results.Messages, (210, "the dump failed: broken"), (320, "dump at 320"));
        Assert.IsType<InvalidOperationException>(results.Messages[0].Value.Value.Exception);
    }

    [Fact]
    public void A_dump_that_is_cancelled_by_itself_becomes_a_failed_result()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1));

        var results = _scheduler.Start(() => Trigger(entered, EveryHundredTicks, _ => Task.FromCanceled<MemoryDumpResult>(new CancellationToken(canceled: true))));

        AssertReasons(results.Messages, (210, "the dump was cancelled"));
    }

    [Fact]
    public void Completes_when_the_levels_complete_once_the_running_dump_has_ended()
    {
        var running = new TaskCompletionSource<MemoryDumpResult>();
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1), OnCompleted<int>(220));
        _scheduler.ScheduleAbsolute(300, () => running.SetResult(Result(300)));

        var results = _scheduler.Start(() => Trigger(entered, EveryHundredTicks, _ => running.Task));

        Assert.Equal([(300L, NotificationKind.OnNext), (300L, NotificationKind.OnCompleted)], results.Messages.Select(m => (m.Time, m.Value.Kind)));
    }

    [Fact]
    public void An_error_of_the_levels_ends_the_results_with_it_and_cancels_the_running_dump()
    {
        var failure = new InvalidOperationException("levels broke");
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1), OnError<int>(220, failure));
        var token = CancellationToken.None;

        var results = _scheduler.Start(() => Trigger(entered, EveryHundredTicks, t =>
        {
            token = t;
            return new TaskCompletionSource<MemoryDumpResult>().Task;
        }));

        results.Messages.AssertEqual(OnError<MemoryDumpResult>(220, failure));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Disposing_cancels_the_running_dump()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1));
        var token = CancellationToken.None;

        _scheduler.Start(() => Trigger(entered, EveryHundredTicks, t =>
        {
            token = t;
            return new TaskCompletionSource<MemoryDumpResult>().Task;
        }), created: 100, subscribed: 200, disposed: 300);

        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Each_subscription_has_limits_of_its_own()
    {
        var entered = _scheduler.CreateHotObservable(OnNext(210, 1), OnNext(220, 1));
        var trigger = Trigger(entered, new DumpLimits(TimeSpan.Zero, MaximumDumps: 1));
        var first = _scheduler.CreateObserver<MemoryDumpResult>();
        var second = _scheduler.CreateObserver<MemoryDumpResult>();

        trigger.Subscribe(first);
        trigger.Subscribe(second);
        _scheduler.Start();

        Assert.Single(first.Messages);
        Assert.Single(second.Messages);
        Assert.Equal([210L, 210L], _dumpsStarted);
    }

    [Fact]
    public void The_interval_can_run_on_the_triggers_own_clock_such_as_the_time_of_the_sample_that_entered_the_level()
    {
        var sampleTime = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var entered = _scheduler.CreateHotObservable(
            OnNext(210, (Level: 2, Time: sampleTime)),
            OnNext(220, (Level: 2, Time: sampleTime.AddSeconds(30))),
            OnNext(230, (Level: 2, Time: sampleTime.AddSeconds(60))));

        var results = _scheduler.Start(() => DumpTrigger.Create(entered, change => change.Time, InstantDump, new DumpLimits(TimeSpan.FromMinutes(1), 10), _skipped.Add));

        Assert.Equal([210L, 230L], _dumpsStarted);
        Assert.Equal([210L, 230L], results.Messages.Select(m => m.Time));
        Assert.Equal(["the last dump started 00:00:30 ago, and dumps start at least 00:01:00 apart"], _skipped);
    }

    [Fact]
    public void Entering_a_level_dumps_through_the_pipeline_with_a_fake_writer_within_the_limits()
    {
        var writer = new FakeDumpWriter();
        writer.Write = (path, _) =>
        {
            File.WriteAllText(path, "dump");
            return Task.CompletedTask;
        };
        var pipeline = new DumpPipeline(writer, new FakeHeapAnalyser(), new DumpGate(), new SteppingTime());
        var settings = DumpSettings.From(new MemoryDumpOptions { DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0, MinimumInterval = TimeSpan.FromTicks(100), MaximumDumps = 2 }, "options");
        using var output = new StringWriter();
        var levels = _scheduler.CreateHotObservable(OnNext(210, 1), OnNext(215, 2), OnNext(220, 1), OnNext(260, 2), OnNext(330, 2), OnNext(900, 2));

        var results = _scheduler.Start(() => DumpTrigger.Create(levels.Where(level => level == 2), token => pipeline.RunAsync(output, settings, token), settings.Limits, _scheduler));

        Assert.Equal([215L, 330L], results.Messages.Select(m => m.Time));
        Assert.All(results.Messages, m => Assert.True(m.Value.Value.Succeeded, m.Value.Value.FailureReason));
        Assert.Equal(2, writer.Files.Distinct().Count());
        Assert.Empty(_directory.FileNames());
    }
}
