using System.Reactive;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Ladder;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>Faults a review found: a clock that goes back, Stop inside a handler, a refusing scheduler, a failing start, a manager not started, a disposed default probe.</summary>
[Collection(SerialTests.Name)]
[Trait("Category", "Reliability")]
public class ReviewRegressionTests : ReactiveTest
{
    [Fact]
    public void A_clock_that_goes_back_restarts_the_throttle_instead_of_silencing_it()
    {
        var backwards = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = backwards });
        var seen = new List<long>();
        manager.Remaining(1, TimeSpan.FromTicks(100)).Subscribe(s => seen.Add(s.Timestamp.UtcTicks));

        foreach (var ticks in new long[] { 1000, 1100, 1200, 50, 150, 1050, 1200 })
        {
            backwards.OnNext(Pressure.AtLevel(ticks, 1));
        }

        // 1000 enters the level; then every sample 100 ticks after the last one seen, counting again from 50.
        Assert.Equal([1100L, 1200L, 50L, 150L, 1050L, 1200L], seen);
    }

    [Fact]
    public void A_dwell_pending_from_a_later_clock_counts_from_the_earlier_one()
    {
        var ladder = new SeverityLadder(new LadderLevel(new LocalRelativeValue(30)) { EnterAfter = TimeSpan.FromTicks(100) });
        var state = new LadderState(ladder);

        state.Evaluate(Pressure.AtLevel(10_000, 1));
        state.Evaluate(Pressure.AtLevel(50, 1));

        Assert.Equal(1, state.Evaluate(Pressure.AtLevel(150, 1)));
    }

    [Fact]
    public void Stop_from_a_handler_drops_the_samples_it_fed_instead_of_judging_them_after_newer_ones()
    {
        var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = feed });
        var judged = new List<long>();
        manager.Samples.Subscribe(s => judged.Add(s.Timestamp.UtcTicks));
        using (manager.Entered(1).Subscribe(_ =>
        {
            feed.OnNext(Pressure.AtLevel(2, 0));
            manager.Stop();
        }))
        {
            feed.OnNext(Pressure.AtLevel(1, 1));
        }

        manager.Resume();
        feed.OnNext(Pressure.AtLevel(3, 0));

        Assert.Equal([1L, 3L], judged);
    }

    [Fact]
    public void A_scheduler_that_refuses_a_triggered_sample_is_reported_and_the_signal_does_not_throw()
    {
        var scheduler = new RefusingScheduler(new TestScheduler());
        var signals = new Subject<Unit>();
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0)),
            Scheduler = scheduler,
            Triggers = new MemoryPressureTriggers { Custom = signals, Gen2Collections = false, Collections = false, PressureStall = false, UsageThresholds = false, PressureLevel = false },
        });
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);

        scheduler.Refuse = true;
        signals.OnNext(Unit.Default);

        Assert.IsType<ObjectDisposedException>(Assert.Single(errors));
    }

    [SkippableFact]
    public void A_manager_whose_start_fails_leaves_no_thread_behind()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "threads are counted in /proc/self/task");
        var before = ManagerThreads();
        var failing = new UnsubscribableObservable();

        var e = Record.Exception(() => new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            Probe = new DelegateProbe(_ => Pressure.AtLevel(0, 0)),
            Triggers = new MemoryPressureTriggers { Custom = failing },
        }));

        Assert.IsType<InvalidOperationException>(e);
        Assert.True(SpinWait.SpinUntil(() => ManagerThreads() <= before, TimeSpan.FromSeconds(10)), $"{ManagerThreads() - before} manager threads left");
    }

    [SkippableFact]
    public void A_manager_not_started_has_no_thread_until_Start()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "threads are counted in /proc/self/task");

        // By thread id, not count: a thread of an earlier test's manager may end meanwhile.
        var before = ManagerThreadIds();
        using var reads = new SemaphoreSlim(0);
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions
        {
            AutoStart = false,
            Probe = new DelegateProbe(_ =>
            {
                reads.Release();
                return Pressure.AtLevel(0, 0);
            }),
        });

        Assert.Subset(before, ManagerThreadIds());
        Assert.Equal(0, reads.CurrentCount);

        manager.Start();

        Assert.True(reads.Wait(TimeSpan.FromSeconds(30)), "no first sample after Start");
        Assert.NotEmpty(ManagerThreadIds().Except(before));
    }

    [Fact]
    public void Disposing_the_default_probe_leaves_it_working_for_everyone_else()
    {
        if (MemoryProbe.Default is IDisposable disposable)
        {
            disposable.Dispose();
        }

        Assert.InRange(MemoryProbe.Default.Read().ProcessResidentBytes, 1, long.MaxValue);
    }

    private static int ManagerThreads() => ManagerThreadIds().Count;

    private static HashSet<string> ManagerThreadIds() =>
        [.. Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => File.Exists(Path.Combine(task, "comm")) && File.ReadAllText(Path.Combine(task, "comm")).StartsWith("MemoryPressure", StringComparison.Ordinal))
            .Select(task => Path.GetFileName(task))];

    /// <summary>An observable whose Subscribe throws, as a hand-written one may (Rx's own turn that into OnError).</summary>
    private sealed class UnsubscribableObservable : IObservable<Unit>
    {
        public IDisposable Subscribe(IObserver<Unit> observer) => throw new InvalidOperationException("custom triggers cannot start");
    }

    /// <summary>A scheduler that, once told to, refuses all work as a disposed one would.</summary>
    private sealed class RefusingScheduler(IScheduler inner) : IScheduler
    {
        public bool Refuse { get; set; }

        public DateTimeOffset Now => inner.Now;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, action);

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, dueTime, action);

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
            Refuse ? throw new ObjectDisposedException(nameof(RefusingScheduler)) : inner.Schedule(state, dueTime, action);
    }
}
