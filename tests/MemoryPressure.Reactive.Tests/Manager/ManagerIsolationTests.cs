using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>A failing handler, cleanup, probe or condition stops nothing, loses nothing, and is reported.</summary>
public class ManagerIsolationTests : ReactiveTest
{
    [Fact]
    public void A_throwing_subscriber_is_reported_stays_subscribed_and_does_not_stop_the_others()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 0), (230, 1)));
        var failures = 0;
        harness.Manager.Entered(1).Subscribe(_ => throw new InvalidOperationException($"handler failure {++failures}"));
        var after = harness.Record(harness.Manager.Entered(1));
        var left = harness.Record(harness.Manager.Left(1));

        harness.Scheduler.Start();

        Assert.Equal(2, failures);
        Assert.Equal(["handler failure 1", "handler failure 2"], harness.Errors.Select(e => e.Message));
        Assert.Equal([210L, 230L], after.Messages.Select(m => m.Time));
        Assert.Equal([220L], left.Messages.Select(m => m.Time));
        Assert.Equal(1, harness.Manager.SeverityLevel);
    }

    [Theory]
    [InlineData("samples")]
    [InlineData("changes")]
    [InlineData("levels")]
    [InlineData("remaining")]
    [InlineData("left")]
    [InlineData("normal")]
    public void Throwing_subscribers_of_any_observable_are_isolated(string which)
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 1), (230, 0), (240, 1), (250, 1), (260, 0)));
        var manager = harness.Manager;
        var calls = 0;
        void Throw()
        {
            calls++;
            throw new InvalidOperationException(which);
        }

        _ = which switch
        {
            "samples" => manager.Samples.Subscribe(_ => Throw()),
            "changes" => manager.Changes.Subscribe(_ => Throw()),
            "levels" => manager.Levels.Subscribe(_ => Throw()),
            "remaining" => manager.Remaining(1).Subscribe(_ => Throw()),
            "left" => manager.Left(1).Subscribe(_ => Throw()),
            _ => manager.MemoryNormal.Subscribe(_ => Throw()),
        };
        var changes = harness.Record(manager.Changes);

        harness.Scheduler.Start();

        Assert.InRange(calls, 2, 7);
        Assert.Equal(calls, harness.Errors.Count);
        Assert.All(harness.Errors, e => Assert.Equal(which, e.Message));
        Assert.Equal(4, changes.Messages.Count);
    }

    [Fact]
    public void A_throwing_cleanup_action_is_reported_and_the_other_cleanups_and_levels_still_run()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2), (220, 0), (230, 2)));
        var cache = new List<int> { 1 };
        var ran = new List<string>();
        harness.Manager.CleanupOnEntered(1, cache, _ => throw new InvalidOperationException("cleanup failed"));
        harness.Manager.CleanupOnEntered(1, cache, _ => ran.Add("second 1"));
        harness.Manager.CleanupOnEntered(2, cache, _ => ran.Add("level 2"));

        harness.Scheduler.Start();

        Assert.Equal(["second 1", "level 2", "second 1", "level 2"], ran);
        Assert.Equal(["cleanup failed", "cleanup failed"], harness.Errors.Select(e => e.Message));
        GC.KeepAlive(cache);
    }

    [Fact]
    public void A_throwing_condition_is_reported_and_the_level_stays_as_it_was_for_that_sample()
    {
        var fail = false;
        var ladder = new SeverityLadder(new LocalRelativeValue(30), new CustomCondition(s => fail ? throw new InvalidOperationException("condition failed") : s.ProcessResidentBytes > 80));
        using var harness = new ManagerHarness(ladder, ManagerHarness.Levels((210, 2), (220, 0), (230, 0)));
        var changes = harness.Record(harness.Manager.Changes);
        harness.Scheduler.ScheduleAbsolute(215, () => fail = true);
        harness.Scheduler.ScheduleAbsolute(225, () => fail = false);

        harness.Scheduler.Start();

        Assert.Equal(["condition failed"], harness.Errors.Select(e => e.Message));
        Assert.Equal([210L, 210L, 230L, 230L], changes.Messages.Select(m => m.Time));
        Assert.Equal(0, harness.Manager.SeverityLevel);
    }

    [Fact]
    public void A_throwing_errors_subscriber_is_dropped_silently_and_the_others_still_hear()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1)));
        harness.Manager.Entered(1).Subscribe(_ => throw new InvalidOperationException("handler"));
        harness.Manager.Errors.Subscribe(_ => throw new InvalidOperationException("error handler"));
        var later = harness.Record(harness.Manager.Errors);

        harness.Scheduler.Start();

        Assert.Single(later.Messages);
        Assert.Equal(1, harness.Manager.SeverityLevel);
    }

    [Fact]
    public async Task ReportError_publishes_from_any_thread_and_does_nothing_after_dispose()
    {
        var harness = new ManagerHarness(Pressure.Ladder);
        var late = new InvalidOperationException("after dispose");

        await Task.Run(() => harness.Manager.ReportError(new TimeoutException("from a worker")));
        harness.Manager.Dispose();
        harness.Manager.ReportError(late);

        Assert.Equal("from a worker", Assert.Single(harness.Errors).Message);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => harness.Manager.ReportError(null!)).ParamName);
    }

    [Fact]
    public void A_sample_source_that_fails_is_reported()
    {
        var failure = new IOException("source gone");
        using var harness = new ManagerHarness(Pressure.Ladder, [.. ManagerHarness.Levels((210, 1)), OnError<MemorySample>(220, failure)]);

        harness.Scheduler.Start();

        Assert.Same(failure, Assert.Single(harness.Errors));
        Assert.Equal(1, harness.Manager.SeverityLevel);
    }
}
