using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Reactive.Testing;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// Probes, handlers and cleanup actions that fail at random, and absurd samples: the level
/// sequence stays right, each fault is reported exactly once, nothing is lost, sampling goes on.
/// </summary>
[Trait("Category", "Reliability")]
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const int Ticks = 20_000;

    private sealed class InjectedFault(string where) : Exception(where);

    private sealed class Target
    {
        public int Calls;
    }

    private static readonly long[] Absurd = [long.MinValue, -1, 0, 1, long.MaxValue];

    /// <summary>A sample: mostly plausible, one in four absurd (negative, zero, limit below usage, extremes).</summary>
    private static MemorySample SampleFor(Random random) => random.Next(4) == 0
        ? new MemorySample
        {
            ProcessResidentBytes = Absurd[random.Next(Absurd.Length)],
            ProcessLimitBytes = Absurd[random.Next(Absurd.Length)],
            SystemTotalBytes = Absurd[random.Next(Absurd.Length)],
            SystemAvailableBytes = Absurd[random.Next(Absurd.Length)],
        }
        : RandomLevels.Sample(random.Next(1000)) with { Timestamp = default };

    [Fact]
    public void Random_faults_are_each_reported_once_the_levels_stay_right_and_sampling_never_stops()
    {
        var random = new Random(20261126);
        var injected = new List<Exception>();
        Exception Fault(string where)
        {
            var fault = new InjectedFault(where);
            injected.Add(fault);
            return fault;
        }

        var scheduler = new TestScheduler();
        var probe = new DelegateProbe(n => random.Next(10) == 0 ? throw Fault($"probe read {n}") : SampleFor(random));
        using var manager = new MemoryPressureManager(RandomLevels.Ladder, new MemoryPressureOptions { Probe = probe, Scheduler = scheduler, CheckInterval = TimeSpan.FromTicks(1) });

        var reported = new List<Exception>();
        manager.Errors.Subscribe(reported.Add);
        var samples = new List<MemorySample>();
        manager.Samples.Subscribe(samples.Add);
        var steps = new List<LevelChanged>();
        manager.Changes.Subscribe(steps.Add);

        // Handlers on every observable throw on one call in twenty; each counts its calls.
        var calls = new Dictionary<string, int>();
        void Handler<T>(string name, IObservable<T> observable) => observable.Subscribe(_ =>
        {
            calls[name] = calls.GetValueOrDefault(name) + 1;
            if (random.Next(20) == 0)
            {
                throw Fault($"handler {name}");
            }
        });

        Handler("samples", manager.Samples);
        Handler("changes", manager.Changes);
        Handler("levels", manager.Levels);
        Handler("normal", manager.MemoryNormal);
        for (var level = 1; level <= RandomLevels.Count; level++)
        {
            Handler($"entered {level}", manager.Entered(level));
            Handler($"left {level}", manager.Left(level));
            Handler($"remaining {level}", manager.Remaining(level));
            Handler($"repeated {level}", manager.Repeated(level));
        }

        var targets = Enumerable.Range(1, RandomLevels.Count).Select(_ => new Target()).ToArray();
        for (var level = 1; level <= RandomLevels.Count; level++)
        {
            manager.CleanupOnEntered(level, targets[level - 1], t =>
            {
                t.Calls++;
                if (random.Next(5) == 0)
                {
                    throw Fault("cleanup");
                }
            });
        }

        scheduler.AdvanceTo(Ticks);

        output.WriteLine($"{probe.Reads:N0} reads, {samples.Count:N0} samples, {steps.Count:N0} steps, {injected.Count:N0} faults injected, {reported.Count:N0} reported");

        // Sampling never stopped: one read per tick, the one at start included (TestScheduler runs
        // work due at once a tick later, at tick 1, where the first interval would end too).
        Assert.Equal(Ticks, probe.Reads);
        Assert.Equal(probe.Reads - injected.Count(f => f.Message.StartsWith("probe", StringComparison.Ordinal)), samples.Count);

        // Every fault appears on Errors exactly once, and nothing else does.
        Assert.Equal(injected, reported);

        // The level after each sample read is the highest level whose condition holds for it.
        var current = 0;
        var bySample = steps.ToLookup(s => s.Sample.Timestamp);
        foreach (var sample in samples)
        {
            foreach (var step in bySample[sample.Timestamp])
            {
                Assert.Equal(current, step.From);
                current = step.To;
            }

            var expected = RandomLevels.Ladder.Levels.Select((l, i) => l.Condition.CanFire(sample) ? i + 1 : 0).Max();
            Assert.Equal(expected, current);
        }

        // No registration was lost: throwing handlers and cleanups were called for every event,
        // cleanups on each entry and each time a held level acted again.
        Assert.Equal(samples.Count, calls["samples"]);
        Assert.Equal(steps.Count, calls["changes"]);
        Assert.Equal(steps.Count + 1, calls["levels"]);
        Assert.Equal(steps.Count(s => s.To == 0), calls["normal"]);
        for (var l = 1; l <= RandomLevels.Count; l++)
        {
            var entries = steps.Count(s => s.IsEntering && s.To == l);
            Assert.Equal(entries, calls[$"entered {l}"]);
            Assert.Equal(entries + calls.GetValueOrDefault($"repeated {l}"), targets[l - 1].Calls);
            Assert.Equal(steps.Count(s => !s.IsEntering && s.From == l), calls[$"left {l}"]);
        }

        Assert.True(injected.Count > 1000, $"only {injected.Count} faults injected");
    }

    [Fact]
    public void A_probe_that_blocks_longer_than_the_interval_delays_sampling_but_never_overlaps_or_stops_it()
    {
        var reading = 0;
        var overlapped = false;
        using var enough = new CountdownEvent(30);
        using var block = new ManualResetEventSlim();
        var probe = new DelegateProbe(n =>
        {
            overlapped |= Interlocked.Increment(ref reading) > 1;
            if (n % 3 == 0)
            {
                // The fault under test: this read takes five intervals.
                block.Wait(TimeSpan.FromMilliseconds(50));
            }

            Interlocked.Decrement(ref reading);
            return Pressure.AtLevel(0, n % 2 == 0 ? 2 : 0);
        });
        using var manager = new MemoryPressureManager(Pressure.Ladder, new MemoryPressureOptions { Probe = probe, CheckInterval = TimeSpan.FromMilliseconds(10) });
        var errors = 0;
        manager.Errors.Subscribe(_ => Interlocked.Increment(ref errors));
        var entered = 0;
        manager.Entered(2).Subscribe(_ => Interlocked.Increment(ref entered));
        manager.Samples.Subscribe(_ =>
        {
            if (!enough.IsSet)
            {
                enough.Signal();
            }
        });

        Assert.True(enough.Wait(TimeSpan.FromSeconds(30)), "sampling stopped");
        Assert.False(overlapped);
        Assert.Equal(0, errors);
        Assert.True(entered >= 10, $"entered level 2 only {entered} times");
    }
}
