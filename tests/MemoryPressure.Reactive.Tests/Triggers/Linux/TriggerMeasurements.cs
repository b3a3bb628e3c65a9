using System.Diagnostics;
using System.Globalization;
using MemoryPressure.Reactive.Tests.Support;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// The figures of the push triggers, measured on a real kernel: detection latency against polling,
/// and CPU cost at rest. Measurements, not tests: they take minutes, depend on the machine's load,
/// and run only when asked for, with their figures in the test output:
/// <code>MPR_MEASURE=1 dotnet test tests/MemoryPressure.Reactive.Tests -c Release --filter "FullyQualifiedName~TriggerMeasurements" --logger "console;verbosity=detailed"</code>
/// <c>MPR_RUNS</c> (default 25) sets the runs per latency series, <c>MPR_SECONDS</c> (default 60) the CPU window.
/// </summary>
[Collection(SerialTests.Name)]
public class TriggerMeasurements(ITestOutputHelper output)
{
    private const long MiB = 1L << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public void Detection_latency_from_a_childs_threshold_crossing_to_Entered_with_a_usage_threshold_and_with_polling_every_second()
    {
        SkipUnlessAsked();
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        var runs = Setting("MPR_RUNS", 25);

        var threshold = MeasureLatency(usageThreshold: true, runs);
        var polling = MeasureLatency(usageThreshold: false, runs);

        output.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(Summary("usage threshold", threshold));
        output.WriteLine(Summary("polling every 1 s", polling));
        Assert.True(Percentile(threshold.Runs, 50) < 20, "p50 of the usage threshold is 20 ms or more");
        Assert.True(Percentile(threshold.Runs, 99) < 100, "p99 of the usage threshold is 100 ms or more");
    }

    [SkippableFact]
    public void Cpu_cost_of_a_manager_with_every_push_source_on_and_no_pressure()
    {
        SkipUnlessAsked();
        var window = TimeSpan.FromSeconds(Setting("MPR_SECONDS", 60));
        var idleProcess = ProcessCpu(window);
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(25), new LocalRelativeValue(10)));
        foreach (var trigger in manager.Triggers)
        {
            output.WriteLine(trigger.ToString());
        }

        // Let the first samples compile their code before measuring.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var threadsBefore = ManagerThreadsCpu();
        var managedProcess = ProcessCpu(window);
        var threads = ManagerThreadsCpu().Select(t => (t.Name, Cpu: t.Cpu - threadsBefore.Single(b => b.Name == t.Name).Cpu)).ToList();
        var total = threads.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Cpu);

        output.WriteLine(Invariant($"over {window.TotalSeconds:0} s: the manager's threads {total.TotalMilliseconds:0.0} ms of CPU, {Share(total, window):0.0000}% of a core ({string.Join(", ", threads.Select(t => Invariant($"{t.Name}: {t.Cpu.TotalMilliseconds:0.0} ms")))})"));
        output.WriteLine(Invariant($"the whole test process: {managedProcess.TotalMilliseconds:0.0} ms with the manager, {idleProcess.TotalMilliseconds:0.0} ms without, over the same window"));
        Assert.True(Share(total, window) < 0.1, "the manager's threads used 0.1% of a core or more");
    }

    private static void SkipUnlessAsked() =>
        Skip.IfNot(Environment.GetEnvironmentVariable("MPR_MEASURE") == "1", "a measurement, run only with MPR_MEASURE=1");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>
    /// After a random wait of up to 1 s, a child climbs by 256 KiB a millisecond from its start to
    /// 104 MiB of a 128 MiB cgroup, and stamps the start of the step where its cgroup's usage reached
    /// 96 MiB, level 1 of the monitor's ladder (clock: CLOCK_MONOTONIC, shared by both processes).
    /// The monitor stamps its Entered(1) handler. Then the child frees it all, the monitor leaves
    /// level 1, and the next run starts.
    /// </summary>
    private static (double WarmUp, double[] Runs) MeasureLatency(bool usageThreshold, int runs)
    {
        using var cgroup = TemporaryMemoryCgroup.Create(128 * MiB);
        using var child = cgroup.Start(
            TestChild.DotnetHost, TestChild.Assembly, "climb", cgroup.Directory, "256", "1", Invariant($"{96 * MiB}"), Invariant($"{104 * MiB}"));
        var lines = new ChildOutput(child);
        lines.WaitFor("ready", Bound);
        using var loop = new GatedEventLoop();
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(25)), new MemoryPressureOptions
        {
            Probe = new CgroupUsageProbe(cgroup.Directory),
            Scheduler = loop.Scheduler,
            CheckInterval = usageThreshold ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(1),
            Triggers = usageThreshold
                ? new MemoryPressureTriggers { Gen2Collections = false, Collections = false, PressureStall = false, PressureLevel = false, ProcessId = child.Id }
                : MemoryPressureTriggers.None,
        });
        using var sampled = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        using var left = new SemaphoreSlim(0);
        var enteredAt = 0L;
        manager.Samples.Subscribe(_ => sampled.Set());
        manager.Entered(1).Subscribe(_ =>
        {
            Volatile.Write(ref enteredAt, Stopwatch.GetTimestamp());
            entered.Release();
        });
        manager.Left(1).Subscribe(_ => left.Release());
        loop.Open();
        Assert.True(sampled.Wait(Bound), "no first sample");

        // Each run starts at a random phase of the polling period, as a real burst would.
        var phase = new Random(runs);
        // Run 0 warms up: the first detection also compiles the code on its path, and is reported apart.
        var latencies = new double[runs + 1];
        for (var run = 0; run <= runs; run++)
        {
            Thread.Sleep(phase.Next(1000));
            child.StandardInput.WriteLine("go");
            var crossed = long.Parse(lines.WaitFor("crossed ", Bound)["crossed ".Length..], CultureInfo.InvariantCulture);
            Assert.True(entered.Wait(Bound), "level 1 not entered");
            latencies[run] = Stopwatch.GetElapsedTime(crossed, Volatile.Read(ref enteredAt)).TotalMilliseconds;
            lines.WaitFor("holding", Bound);
            child.StandardInput.WriteLine("free");
            lines.WaitFor("freed", Bound);
            Assert.True(left.Wait(Bound), "level 1 not left");
        }

        return (latencies[0], latencies[1..]);
    }

    /// <summary>Reads the CPU time of the manager's threads (its event loop and the kernel event watcher) from their <c>schedstat</c>, in nanoseconds.</summary>
    private static List<(string Name, TimeSpan Cpu)> ManagerThreadsCpu()
    {
        string[] names = [nameof(MemoryPressureManager)[..15], MemoryPressure.Reactive.Triggers.Linux.KernelEventWatcher.ThreadName[..15]];
        return [.. Directory.EnumerateDirectories("/proc/self/task")
            .Select(task => (Name: File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'), Task: task))
            .Where(t => names.Contains(t.Name))
            .Select(t => (t.Name, TimeSpan.FromTicks(long.Parse(File.ReadAllText(Path.Combine(t.Task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture) / 100)))];
    }

    /// <summary>Measures the CPU time the whole process uses over a window.</summary>
    private static TimeSpan ProcessCpu(TimeSpan window)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        Thread.Sleep(window); // the measurement window, not a wait for behaviour
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    private static double Share(TimeSpan cpu, TimeSpan window) => cpu / window * 100;

    private static double Percentile(double[] values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static string Summary(string name, (double WarmUp, double[] Runs) measured)
    {
        var runs = measured.Runs;
        return Invariant($"{name}: warm-up {measured.WarmUp:0.0} ms, then {runs.Length} runs, p50 {Percentile(runs, 50):0.00} ms, p90 {Percentile(runs, 90):0.00} ms, p99 {Percentile(runs, 99):0.00} ms, min {runs.Min():0.00} ms, max {runs.Max():0.00} ms; all: {string.Join(" ", runs.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)))}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
