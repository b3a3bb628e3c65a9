using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>100,000 weak cleanup registrations: dead ones are pruned and their memory returns; live ones run once per entry.</summary>
[Collection(SerialTests.Name)]
[Trait("Category", "Reliability")]
public class WeakRegistrationTests(ITestOutputHelper output) : ReactiveTest
{
    private const int Registrations = 100_000;

    /// <summary>After pruning, the heap may exceed its size before the registrations by at most this.</summary>
    private const long HeapBound = 256 * 1024;

    private sealed class Target
    {
        public int Calls;
    }

    [Fact]
    public void Registrations_whose_targets_die_are_pruned_and_memory_returns_to_its_baseline()
    {
        var scheduler = new TestScheduler();
        var samples = scheduler.CreateHotObservable(
            OnNext(100, Pressure.AtLevel(100, 0)),
            OnNext(200, Pressure.AtLevel(200, 1)),
            OnNext(300, Pressure.AtLevel(300, 0)),
            OnNext(400, Pressure.AtLevel(400, 1)));
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Samples = samples });
        var live = Enumerable.Range(0, 100).Select(_ => new Target()).ToArray();
        foreach (var target in live)
        {
            manager.CleanupOnEntered(1, target, static t => t.Calls++);
        }

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var deadCalls = new StrongBox<int>();
        RegisterDying(manager, deadCalls);
        var withDead = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(Registrations + live.Length, manager.CleanupRegistrations);

        scheduler.AdvanceTo(150);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var pruned = GC.GetTotalMemory(forceFullCollection: true);
        scheduler.AdvanceTo(500);

        output.WriteLine($"managed heap: {baseline:N0} B before, {withDead:N0} B with {Registrations:N0} dead registrations, {pruned:N0} B after they were pruned (bound: baseline + {HeapBound:N0} B)");
        Assert.Equal(live.Length, manager.CleanupRegistrations);
        Assert.InRange(pruned, 0, baseline + HeapBound);
        Assert.True(withDead - baseline > Registrations * 32L, "the registrations took less memory than they must");
        Assert.Equal(0, deadCalls.Value);
        Assert.All(live, t => Assert.Equal(2, t.Calls));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterDying(MemoryPressureManager manager, StrongBox<int> calls)
    {
        for (var i = 0; i < Registrations; i++)
        {
            manager.CleanupOnEntered(1, new Target(), _ => calls.Value++);
        }
    }
}
