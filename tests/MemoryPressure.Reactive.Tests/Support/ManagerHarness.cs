using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>A manager fed by a hot observable of samples in virtual time, with its errors recorded.</summary>
internal sealed class ManagerHarness : IDisposable
{
    public ManagerHarness(SeverityLadder ladder, params Recorded<System.Reactive.Notification<MemorySample>>[] samples)
    {
        Samples = Scheduler.CreateHotObservable(samples);
        Manager = new MemoryPressureManager(ladder, new MemoryPressureOptions { Samples = Samples, Scheduler = Scheduler });
        Manager.Errors.Subscribe(Errors.Add);
    }

    public TestScheduler Scheduler { get; } = new();

    public ITestableObservable<MemorySample> Samples { get; }

    public MemoryPressureManager Manager { get; }

    public List<Exception> Errors { get; } = [];

    /// <summary>Level samples of <see cref="Pressure.Ladder"/> at the given ticks: (ticks, level) pairs.</summary>
    public static Recorded<System.Reactive.Notification<MemorySample>>[] Levels(params (long Ticks, int Level)[] levels) =>
        [.. levels.Select(l => ReactiveTest.OnNext(l.Ticks, Pressure.AtLevel(l.Ticks, l.Level)))];

    public ITestableObserver<T> Record<T>(IObservable<T> observable)
    {
        var observer = Scheduler.CreateObserver<T>();
        observable.Subscribe(observer);
        return observer;
    }

    public void Dispose() => Manager.Dispose();
}
