using System.Reactive.Linq;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>Construction, arguments, disposal.</summary>
public class ManagerLifecycleTests : ReactiveTest
{
    [Fact]
    public void The_constructor_refuses_a_null_ladder() =>
        Assert.Equal("ladder", Assert.Throws<ArgumentNullException>(() => new MemoryPressureManager(null!)).ParamName);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Options_refuse_an_interval_or_a_maximum_that_is_not_positive(long value)
    {
        var options = new MemoryPressureOptions();

        Assert.Equal("CheckInterval", Assert.Throws<ArgumentOutOfRangeException>(() => options.CheckInterval = TimeSpan.FromTicks(value)).ParamName);
        Assert.Equal("MaximumAvailableBytes", Assert.Throws<ArgumentOutOfRangeException>(() => options.MaximumAvailableBytes = value).ParamName);
        Assert.Equal(TimeSpan.FromSeconds(1), options.CheckInterval);
        Assert.Null(options.MaximumAvailableBytes);
    }

    [Fact]
    public void Levels_outside_the_ladder_are_refused_at_the_call_naming_the_parameter_and_the_range()
    {
        using var harness = new ManagerHarness(Pressure.Ladder);
        var manager = harness.Manager;

        foreach (var call in new Func<object>[] { () => manager.Entered(0), () => manager.Entered(4), () => manager.Left(0), () => manager.Left(4), () => manager.Remaining(-1), () => manager.Remaining(4) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("level", e.ParamName);
            Assert.Contains("..3", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal("noMoreOftenThan", Assert.Throws<ArgumentOutOfRangeException>(() => manager.Remaining(1, TimeSpan.FromTicks(-1))).ParamName);
        Assert.NotNull(manager.Remaining(0));
        Assert.NotNull(manager.Remaining(3, TimeSpan.Zero));
    }

    [Fact]
    public void Subscribing_a_null_observer_is_refused()
    {
        using var harness = new ManagerHarness(Pressure.Ladder);

        Assert.Throws<ArgumentNullException>(() => harness.Manager.Changes.Subscribe(null!));
        Assert.Throws<ArgumentNullException>(() => harness.Manager.Levels.Subscribe(null!));
        Assert.Throws<ArgumentNullException>(() => harness.Manager.Remaining(1, TimeSpan.FromSeconds(1)).Subscribe(null!));
    }

    [Fact]
    public void Dispose_completes_every_observable_once_and_is_idempotent()
    {
        var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1)));
        var manager = harness.Manager;
        var observers = new List<ITestableObserver<object>>();
        void Watch<T>(IObservable<T> observable)
        {
            var observer = harness.Scheduler.CreateObserver<object>();
            observable.Subscribe(v => observer.OnNext(v!), observer.OnError, observer.OnCompleted);
            observers.Add(observer);
        }

        Watch(manager.Samples);
        Watch(manager.Changes);
        Watch(manager.Levels);
        Watch(manager.MemoryNormal);
        Watch(manager.Errors);
        for (var level = 1; level <= 3; level++)
        {
            Watch(manager.Entered(level));
            Watch(manager.Left(level));
            Watch(manager.Remaining(level, TimeSpan.FromSeconds(1)));
        }

        Watch(manager.Remaining(0));
        harness.Scheduler.ScheduleAbsolute(300, manager.Dispose);
        harness.Scheduler.ScheduleAbsolute(310, manager.Dispose);
        harness.Scheduler.Start();

        Assert.All(observers, o => Assert.Equal(1, o.Messages.Count(m => m.Value.Kind == System.Reactive.NotificationKind.OnCompleted)));
        Assert.All(observers, o => Assert.Equal(300, o.Messages[^1].Time));
    }

    [Fact]
    public void A_Levels_observer_subscribed_by_another_lists_completion_during_Dispose_is_told_only_the_end()
    {
        var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 2)));
        var levels = new List<int>();
        var completed = 0;
        foreach (var list in new[] { harness.Manager.Samples.Select(_ => 0), harness.Manager.Changes.Select(_ => 0), harness.Manager.MemoryNormal.Select(_ => 0) })
        {
            list.Subscribe(_ => { }, () => harness.Manager.Levels.Subscribe(levels.Add, () => completed++));
        }

        harness.Scheduler.ScheduleAbsolute(300, harness.Manager.Dispose);
        harness.Scheduler.Start();

        Assert.Empty(levels);
        Assert.Equal(3, completed);
    }

    [Fact]
    public void After_dispose_subscriptions_complete_at_once_and_registrations_do_nothing()
    {
        var harness = new ManagerHarness(Pressure.Ladder);
        harness.Manager.Dispose();

        var completed = 0;
        var levels = new List<int>();
        harness.Manager.Entered(1).Subscribe(_ => { }, () => completed++);
        harness.Manager.Levels.Subscribe(levels.Add, () => completed++);
        var registration = harness.Manager.CleanupOnEntered(1, new object(), _ => { });
        harness.Manager.Stop();
        harness.Manager.Resume();
        registration.Dispose();

        Assert.Equal(2, completed);
        Assert.Empty(levels);
        Assert.Equal(0, harness.Manager.CleanupRegistrations);
    }

    [Fact]
    public void Dispose_from_inside_a_handler_stops_the_other_handlers_of_that_sample_and_throws_nothing()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 3), (220, 0)));
        var calls = new List<string>();
        harness.Manager.Entered(1).Subscribe(_ => calls.Add("first"));
        harness.Manager.Entered(1).Subscribe(_ =>
        {
            calls.Add("disposer");
            harness.Manager.Dispose();
        });
        harness.Manager.Entered(1).Subscribe(_ => calls.Add("after"), () => calls.Add("completed"));
        harness.Manager.Entered(2).Subscribe(_ => calls.Add("level 2"));
        harness.Manager.CleanupOnEntered(1, calls, c => c.Add("cleanup"));

        harness.Scheduler.Start();

        Assert.Equal(["first", "disposer", "completed"], calls);
        Assert.Empty(harness.Errors);
        Assert.Equal([new Subscription(0, 210)], harness.Samples.Subscriptions);
    }

    [Fact]
    public void Disposing_a_subscription_inside_a_handler_stops_only_that_subscription()
    {
        using var harness = new ManagerHarness(Pressure.Ladder, ManagerHarness.Levels((210, 1), (220, 0), (230, 1)));
        var calls = new List<string>();
        IDisposable? self = null;
        self = harness.Manager.Entered(1).Subscribe(_ =>
        {
            calls.Add("once");
            self!.Dispose();
        });
        harness.Manager.Entered(1).Subscribe(_ => calls.Add("always"));

        harness.Scheduler.Start();

        Assert.Equal(["once", "always", "always"], calls);
    }

    [Fact]
    public void Many_managers_live_side_by_side_each_with_its_own_level()
    {
        var scheduler = new TestScheduler();
        var calm = scheduler.CreateHotObservable(OnNext(210, Pressure.AtLevel(210, 0)));
        var pressed = scheduler.CreateHotObservable(OnNext(210, Pressure.AtLevel(210, 3)));
        using var first = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = calm });
        using var second = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = pressed });

        scheduler.Start();

        Assert.Equal(0, first.SeverityLevel);
        Assert.Equal(3, second.SeverityLevel);
    }

    [Fact]
    public async Task A_subscription_disposed_on_another_thread_returns_only_once_its_running_handler_has_returned()
    {
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var returned = new ManualResetEventSlim();
        var calls = 0;
        bool? disposeReturnedWhileRunning = null;
        var subscription = manager.Samples.Subscribe(_ =>
        {
            Interlocked.Increment(ref calls);
            inside.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            disposeReturnedWhileRunning = returned.IsSet;
        });
        var feeder = OnOwnThread(() => feed.OnNext(Pressure.AtLevel(0, 0)));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "the handler never ran");

        var disposal = OwnThread.Start(() =>
        {
            subscription.Dispose();
            returned.Set();
        });

        // The handler is released once the disposal waits (or, wrongly, has returned), and then sees which.
        Assert.True(disposal.WaitUntilBlockedOrEnded(TimeSpan.FromSeconds(30)), "Dispose neither waited nor returned");
        release.Set();
        Assert.True(disposal.Join(TimeSpan.FromSeconds(30)), "Dispose did not return once the handler had");
        await feeder.WaitAsync(TimeSpan.FromSeconds(30));
        feed.OnNext(Pressure.AtLevel(1, 0));

        Assert.False(disposeReturnedWhileRunning, "Dispose returned while the handler still ran");
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Subscribing_and_disposing_from_other_threads_while_samples_flow_neither_deadlocks_nor_throws()
    {
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        var errors = 0;
        manager.Errors.Subscribe(_ => Interlocked.Increment(ref errors));
        using var done = new CancellationTokenSource();

        // Own threads: on a small machine the thread pool grows too slowly for five looping tasks.
        var feeder = OnOwnThread(() =>
        {
            for (var i = 0; i < 200_000; i++)
            {
                feed.OnNext(Pressure.AtLevel(i, i * 7 % 4));
            }

            done.Cancel();
        });
        var subscribers = Enumerable.Range(0, 4).Select(worker => OnOwnThread(() =>
        {
            var steps = new List<LevelChanged>();
            while (!done.IsCancellationRequested)
            {
                steps.Clear();
                using (manager.Changes.Subscribe(steps.Add))
                using (manager.Entered(1 + (worker % 3)).Subscribe(_ => { }))
                using (manager.Levels.Subscribe(_ => { }))
                {
                    Thread.Yield();
                }

                // Disposal waited for a call still running on the feeder's thread: the list is this thread's alone.
                // While subscribed, the steps seen form a path of ±1 steps.
                for (var i = 1; i < steps.Count; i++)
                {
                    Assert.Equal(steps[i - 1].To, steps[i].From);
                }
            }
        })).ToArray();

        // A deadlock shows as a TimeoutException.
        await Task.WhenAll([feeder, .. subscribers]).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, errors);
    }

    private static Task OnOwnThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
