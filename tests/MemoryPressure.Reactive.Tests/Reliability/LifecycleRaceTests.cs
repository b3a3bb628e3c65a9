using System.Reactive.Concurrency;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// Dispose racing with samples, ticks, subscriptions, Stop/Resume and itself, thousands of times:
/// no exception escapes, every observable completes once, and no handler runs after Dispose returns.
/// </summary>
[Trait("Category", "Reliability")]
public class LifecycleRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 2000;

    /// <summary>One manager's handlers: they note when they run after Dispose returned, and count completions.</summary>
    private sealed class Watch
    {
        private volatile bool _disposeReturned;
        private int _completions;
        private int _lateCalls;

        public int Observables { get; private set; }

        public int Completions => _completions;

        public int LateCalls => _lateCalls;

        public void Observe<T>(IObservable<T> observable)
        {
            Observables++;
            observable.Subscribe(_ => Called(), () => Interlocked.Increment(ref _completions));
        }

        public void Called()
        {
            if (_disposeReturned)
            {
                Interlocked.Increment(ref _lateCalls);
            }
        }

        public void DisposeReturned() => _disposeReturned = true;
    }

    private static Watch WatchAll(MemoryPressureManager manager)
    {
        var watch = new Watch();
        watch.Observe(manager.Samples);
        watch.Observe(manager.Changes);
        watch.Observe(manager.Levels);
        watch.Observe(manager.MemoryNormal);
        watch.Observe(manager.Errors);
        watch.Observe(manager.Entered(1));
        watch.Observe(manager.Left(1));
        watch.Observe(manager.Remaining(0));
        manager.CleanupOnEntered(2, watch, static w => w.Called());
        return watch;
    }

    [Fact]
    public async Task Dispose_racing_with_samples_subscriptions_stop_resume_and_itself()
    {
        var escaped = 0;
        var lateCalls = 0;
        var missingCompletions = 0;
        for (var round = 0; round < Rounds; round++)
        {
            using var feed = new Subject<MemorySample>();
            var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
            var watch = WatchAll(manager);
            using var start = new Barrier(4);
            var racers = new Func<Task>[]
            {
                () => Task.Run(() =>
                {
                    start.SignalAndWait();
                    for (var i = 0; i < 50; i++)
                    {
                        feed.OnNext(Pressure.AtLevel(i, i % 4));
                    }
                }),
                () => Task.Run(() =>
                {
                    start.SignalAndWait();
                    for (var i = 0; i < 10; i++)
                    {
                        manager.Entered(1 + (i % 3)).Subscribe(_ => watch.Called()).Dispose();
                        manager.Levels.Subscribe(_ => watch.Called());
                        manager.CleanupOnEntered(1, watch, static w => w.Called());
                    }
                }),
                () => Task.Run(() =>
                {
                    start.SignalAndWait();
                    manager.Stop();
                    manager.Resume();
                    manager.Stop();
                    manager.Resume();
                }),
                () => Task.Run(() =>
                {
                    start.SignalAndWait();
                    manager.Dispose();
                    watch.DisposeReturned();
                    manager.Dispose();
                }),
            };

            try
            {
                await Task.WhenAll(racers.Select(r => r())).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception e) when (e is not TimeoutException)
            {
                escaped++;
            }

            lateCalls += watch.LateCalls;
            missingCompletions += watch.Observables - watch.Completions;
        }

        output.WriteLine($"{Rounds:N0} rounds of Dispose racing samples, subscriptions and Stop/Resume: {escaped} exceptions escaped, {lateCalls} handler calls after Dispose returned, {missingCompletions} observables not completed once");
        Assert.Equal(0, escaped);
        Assert.Equal(0, lateCalls);
        Assert.Equal(0, missingCompletions);
    }

    [Fact]
    public async Task Dispose_racing_with_polling_ticks_and_from_inside_handlers()
    {
        using var ticks = new EventLoopScheduler();
        var late = 0;
        var missing = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var fromHandler = round % 2 == 0;

            // Starting and stopping the kernel sources' thread and descriptors costs tens of milliseconds
            // on a loaded machine: two rounds in twenty (one disposing from a handler, one from outside) race
            // them, the others race the ticks alone.
            var triggers = round % 20 < 2 ? new MemoryPressureTriggers() : MemoryPressureTriggers.None;
            var probe = new DelegateProbe(n => Pressure.AtLevel(0, n % 3));
            var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = ticks, CheckInterval = TimeSpan.FromTicks(1), Triggers = triggers });
            var watch = WatchAll(manager);
            using var disposed = new ManualResetEventSlim();
            if (fromHandler)
            {
                manager.Entered(1).Subscribe(_ =>
                {
                    manager.Dispose();
                    watch.DisposeReturned();
                    disposed.Set();
                });
            }
            else
            {
                await Task.Run(() =>
                {
                    Thread.Yield();
                    manager.Dispose();
                    watch.DisposeReturned();
                    disposed.Set();
                });
            }

            Assert.True(disposed.Wait(TimeSpan.FromSeconds(30)), "the manager was never disposed");

            // The tick thread runs in order: once a marker queued now has run, so has every tick queued before it.
            using var drained = new ManualResetEventSlim();
            ticks.Schedule(drained.Set);
            Assert.True(drained.Wait(TimeSpan.FromSeconds(30)), "the tick thread is stuck");
            late += watch.LateCalls;
            missing += watch.Observables - watch.Completions;
        }

        output.WriteLine($"{Rounds:N0} rounds of Dispose racing polling ticks (half from inside a handler, one in ten with every trigger source live): {late} handler calls after Dispose returned, {missing} observables not completed once");
        Assert.Equal(0, late);
        Assert.Equal(0, missing);
    }
}
