using System.Diagnostics;
using System.Globalization;
using MemoryPressure.Reactive.Triggers.Linux;
using MemoryPressure.Reactive.Tests.Triggers.Linux;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Benchmarks.Triggers;

/// <summary>
/// The figures of the push triggers, measured on a real kernel: detection latency against polling,
/// and CPU cost at rest. They take minutes and depend on the machine's load, so they are harness
/// commands, not tests.
/// </summary>
/// <remarks>
/// <c>--trigger-latency [runs]</c> (25 runs by default, as root, with a cgroup v1 memory controller):
/// for each of a usage threshold and polling every second (the sampling pace off in both), a child process in a 128 MiB memory
/// cgroup climbs past level 1 of a monitoring manager that many times, and the time from the
/// crossing to the manager's <c>Entered(1)</c> handler is printed as percentiles.
/// <c>--trigger-cpu [seconds]</c> (60 by default): a default manager with every push source on and no
/// pressure, the CPU time of its own threads over the window (from their <c>schedstat</c>), and that
/// of the whole process with the manager and without it over windows of the same length.
/// </remarks>
internal static class TriggerMeasurements
{
    private const long MiB = 1L << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static int RunLatency(int runs)
    {
        if (TemporaryMemoryCgroup.WhyUnavailable() is { } unavailable)
        {
            Console.Error.WriteLine($"Cannot measure: {unavailable}.");
            return 1;
        }

        Console.WriteLine($"Detection latency, a child's usage crossing level 1 to Entered(1): {runs} runs each, after a warm-up run...");
        var threshold = MeasureLatency(usageThreshold: true, runs);
        var polling = MeasureLatency(usageThreshold: false, runs);

        Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine(Summary("usage threshold", threshold));
        Console.WriteLine(Summary("polling every 1 s", polling));
        return 0;
    }

    public static int RunCpu(int seconds)
    {
        var window = TimeSpan.FromSeconds(seconds);
        Console.WriteLine(Invariant($"CPU at rest of a manager with every push source on, over {window.TotalSeconds:0} s, and of the whole process over as long without it first..."));
        var idleProcess = ProcessCpu(window);
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(25), new LocalRelativeValue(10)));
        foreach (var trigger in manager.Triggers)
        {
            Console.WriteLine(trigger.ToString());
        }

        // Let the first samples compile their code before measuring.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var threadsBefore = ManagerThreadsCpu();
        var managedProcess = ProcessCpu(window);
        var threads = ManagerThreadsCpu().Select(t => (t.Value.Name, Cpu: t.Value.Cpu - threadsBefore.GetValueOrDefault(t.Key).Cpu)).ToList();
        var total = threads.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Cpu);

        Console.WriteLine(Invariant($"over {window.TotalSeconds:0} s: the manager's threads {total.TotalMilliseconds:0.0} ms of CPU, {Share(total, window):0.0000}% of a core ({string.Join(", ", threads.Select(t => Invariant($"{t.Name}: {t.Cpu.TotalMilliseconds:0.0} ms")))})"));
        Console.WriteLine(Invariant($"the whole process: {managedProcess.TotalMilliseconds:0.0} ms with the manager, {idleProcess.TotalMilliseconds:0.0} ms without, over the same window"));
        return 0;
    }

    /// <summary>
    /// With the sampling pace off (polls come every check interval, however close memory is to the
    /// level), so that each series measures its own path: after a random wait of up to 1 s, a child climbs by 256 KiB a millisecond from its start to
    /// 104 MiB of a 128 MiB cgroup, and stamps the start of the step where its cgroup's usage reached
    /// 96 MiB, level 1 of the monitor's ladder (clock: CLOCK_MONOTONIC, shared by both processes).
    /// The monitor stamps its Entered(1) handler. Then the child frees it all, the monitor leaves
    /// level 1, and the next run starts.
    /// </summary>
    private static (double WarmUp, double[] Runs) MeasureLatency(bool usageThreshold, int runs)
    {
        using var cgroup = TemporaryMemoryCgroup.Create(128 * MiB);
        using var child = cgroup.Start(
            DotnetHost, Path.Combine(AppContext.BaseDirectory, "MemoryPressure.Reactive.TestChild.dll"), "climb", cgroup.Directory, "256", "1", Invariant($"{96 * MiB}"), Invariant($"{104 * MiB}"));
        var lines = new ChildOutput(child);
        lines.WaitFor("ready", Bound);

        // Not started until the handlers are subscribed: the first sample places the usage thresholds.
        var interval = usageThreshold ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(1);
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(25)), new MemoryPressureOptions
        {
            AutoStart = false,
            Probe = new CgroupUsageProbe(cgroup.Directory),
            CheckInterval = interval,
            SamplingFloor = interval,
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
        manager.Start();
        Expect(sampled.Wait(Bound), "no first sample");

        // Each run starts at a random phase of the polling period, as a real burst would.
        var phase = new Random(runs);
        // Run 0 warms up: the first detection also compiles the code on its path, and is reported apart.
        var latencies = new double[runs + 1];
        for (var run = 0; run <= runs; run++)
        {
            Thread.Sleep(phase.Next(1000));
            child.StandardInput.WriteLine("go");
            var crossed = long.Parse(lines.WaitFor("crossed ", Bound)["crossed ".Length..], CultureInfo.InvariantCulture);
            Expect(entered.Wait(Bound), "level 1 not entered");
            latencies[run] = Stopwatch.GetElapsedTime(crossed, Volatile.Read(ref enteredAt)).TotalMilliseconds;
            lines.WaitFor("holding", Bound);
            child.StandardInput.WriteLine("free");
            lines.WaitFor("freed", Bound);
            Expect(left.Wait(Bound), "level 1 not left");
        }

        return (latencies[0], latencies[1..]);
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static void Expect(bool happened, string otherwise)
    {
        if (!happened)
        {
            throw new TimeoutException($"{otherwise} within {Bound.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Reads the CPU time of the manager's threads (its sampling thread, the kernel event watcher, the
    /// watchdogs' clock) from their <c>schedstat</c>, in nanoseconds, by thread id: the kernel keeps 15
    /// characters of a name, and "MemoryPressure kernel events" and "MemoryPressure watchdog" keep the
    /// same ones (and the main thread's, the program's name, starts alike).
    /// </summary>
    private static Dictionary<string, (string Name, TimeSpan Cpu)> ManagerThreadsCpu()
    {
        string[] names = [nameof(MemoryPressureManager)[..15], KernelEventWatcher.ThreadName[..15]];
        return Directory.EnumerateDirectories("/proc/self/task")
            .Select(task => (Id: Path.GetFileName(task), Name: File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'), Task: task))
            .Where(t => names.Contains(t.Name))
            .ToDictionary(
                t => t.Id,
                t => (Invariant($"{t.Name.TrimEnd()} ({t.Id})"), TimeSpan.FromTicks(long.Parse(File.ReadAllText(Path.Combine(t.Task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture) / 100)));
    }

    /// <summary>Measures the CPU time the whole process uses over a window.</summary>
    private static TimeSpan ProcessCpu(TimeSpan window)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        Thread.Sleep(window);
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
