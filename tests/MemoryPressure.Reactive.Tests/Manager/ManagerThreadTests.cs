using System.Reactive;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>
/// The sampling thread a polling manager owns: none before <see cref="MemoryPressureManager.Start"/>,
/// none left behind by a start that fails. Serial, as they look at every thread of the process.
/// </summary>
[Collection(SerialTests.Name)]
public class ManagerThreadTests
{
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
}
