using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>A wall clock that steps back or far ahead neither stops the manager's polling nor makes it spin.</summary>
public class ManagerClockStepTests
{
    [Theory]
    [InlineData(-3600)]
    [InlineData(3600)]
    public void After_the_clock_steps_polling_goes_on_once_a_check_interval(int stepSeconds)
    {
        var virtualTime = new TestScheduler();
        var clock = new SteppingClock(virtualTime) { Step = TimeSpan.FromDays(1) };
        var ramp = 0L;
        // Rising memory, so that the sampling pace is at work when the clock steps.
        var probe = new DelegateProbe(_ => new MemorySample { ProcessResidentBytes = 100 + (ramp += 1), ProcessLimitBytes = 1000 });
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(10)),
            new MemoryPressureOptions { Probe = probe, Scheduler = clock, CheckInterval = TimeSpan.FromSeconds(1), Triggers = MemoryPressureTriggers.None });
        virtualTime.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);
        var before = probe.Reads;

        clock.Step += TimeSpan.FromSeconds(stepSeconds);
        virtualTime.AdvanceBy(TimeSpan.FromSeconds(10).Ticks);

        // Ten checks in ten seconds, give or take the one around the step: neither silence nor a storm.
        Assert.InRange(probe.Reads - before, 9, 12);
    }

    /// <summary>Virtual time whose wall clock (<see cref="Now"/>, a day ahead of the virtual clock to leave room to step back) can be stepped, while due times stay relative.</summary>
    private sealed class SteppingClock(TestScheduler inner) : IScheduler
    {
        public TimeSpan Step { get; set; }

        public DateTimeOffset Now => inner.Now + Step;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
            inner.Schedule(state, (_, s) => action(this, s));

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) =>
            inner.Schedule(state, dueTime, (_, s) => action(this, s));

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
            inner.Schedule(state, dueTime - Now, (_, s) => action(this, s));
    }
}
