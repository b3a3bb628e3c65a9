using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive;
using MemoryPressure.Reactive.Tests.Support;

// Commands, one per argument list:
//   probe   print one sample of the default probe as "Name=value" lines, then exit.
//   climb <cgroup-dir> <step-KiB> <pause-ms> <report-at-bytes> <hold-at-bytes>
//           print "ready", then for each "go" line on standard input: allocate native memory in
//           steps (each page touched), one step every pause, and print "crossed <Stopwatch timestamp>"
//           once the cgroup's memory.usage_in_bytes reaches report-at; at hold-at (0: never, so on
//           until the limit kills the process) print "holding". A "free" line frees it all and
//           prints "freed"; end of input exits.
//   thrash <cgroup-dir> <anon-bytes> <file> <file-bytes> <seconds>
//           print "ready", wait for a line, fill the cgroup with native memory up to anon-bytes,
//           then write the file over and over for the given seconds: with little room left in the
//           cgroup, reclaim must wait for its dirty pages to be written back, a sustained memory
//           stall. Prints "at-limit" when memory.failcnt first moves (a charge found the cgroup
//           full and had to reclaim: the pressure began). Deletes the file and exits.
//   kernel-probe <page-cache-MiB>
//           in a cgroup v2 hierarchy: write a file of that size in the temporary directory and read
//           it back (page cache charged to the cgroup), then print the kernel's own figures for the
//           process's cgroup ("Kernel.Before.<name>=", read just before the sample), one sample as the
//           probe command does, the same figures again ("Kernel.After.<name>="), and the memory.max of
//           the cgroup and each ancestor ("Kernel.Limit.<path>="). Deletes the file and exits.
//   memory-events <counter> <memory.events path> grow|write|wait <MiB> <bound-seconds>
//           start a manager with the default triggers and print its MemoryEvents status, then "ready";
//           then grow native memory (grow) or write a file (write) 1 MiB at a time up to MiB, or poll
//           (wait), until the counter (high, max, oom, oom_kill) in that memory.events grows; then wait
//           up to the bound for a sample the MemoryEvents source caused (its signal count grew) that
//           finds the counter moved. Prints what it saw as "Name=value" lines, LatencyMs the time from
//           the last read that found the counter quiet to that sample, and that sample's figures.
//   follow [late]  start a default manager and print "ready" once it has judged its first sample (the
//           baseline a later change is measured from); late: first print "started" and wait for a line
//           of input, so that the limit can move before the manager starts; print each LimitChanges event as
//           "change <limit> <before> <after> <response> <gc-cap>", then the GC cap of the next sample
//           the manager judges as "sample-gc-cap <bytes>"; end of input exits.
//   rest <interval-ms> <warm-ticks> <window-ticks>
//           start the manager of the idle harness (tests/Shared/RestingHandlers.cs) polling every interval,
//           its handler timeout the interval too (the watchdog checks once a sample, as at the defaults),
//           with one more handler, of Dispatched, that counts the samples; from sample warm-ticks
//           to window-ticks samples later, measure what the sampling thread and the whole process
//           allocated and how many methods the JIT compiled, and print them as "Name=value" lines. The
//           window's edges call RestWindow.Opens and RestWindow.Closes, each compiled at that first call,
//           so a JIT summary (DOTNET_JitStdOutFile) shows which methods were compiled between them.
return args switch
{
    ["rest", var interval, var warm, var window] => Rest(TimeSpan.FromMilliseconds(Number(interval)), (int)Number(warm), (int)Number(window)),
    ["probe"] => PrintSample(),
    ["follow"] => FollowLimits(late: false),
    ["follow", "late"] => FollowLimits(late: true),
    ["kernel-probe", var pageCache] => ProbeBesideKernel(Number(pageCache) << 20),
    ["memory-events", var counter, var events, var action, var mebibytes, var bound] =>
        WatchMemoryEvents(counter, events, action, Number(mebibytes), TimeSpan.FromSeconds(Number(bound))),
    ["climb", var cgroup, var step, var pause, var reportAt, var holdAt] =>
        Climb(cgroup, Number(step) * 1024, TimeSpan.FromMilliseconds(Number(pause)), Number(reportAt), Number(holdAt)),
    ["thrash", var cgroup, var anon, var file, var fileBytes, var seconds] =>
        Thrash(cgroup, Number(anon), file, Number(fileBytes), TimeSpan.FromSeconds(Number(seconds))),
    _ => Usage(),
};

static int FollowLimits(bool late)
{
    if (late)
    {
        Console.WriteLine("started");
        Console.ReadLine();
    }

    // Declared first, so that it outlives the manager whose samples set it.
    using var baseline = new ManualResetEventSlim();
    using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(5)), new MemoryPressureOptions { AutoStart = false });
    var changed = false;
    manager.Errors.Subscribe(error => Console.Error.WriteLine(error));
    manager.LimitChanges.Subscribe(c =>
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"change {c.Limit} {c.BeforeBytes} {c.AfterBytes} {c.Response} {c.GcHeapHardLimitBytes}"));
        changed = true;
    });
    manager.Samples.Subscribe(sample =>
    {
        baseline.Set();
        if (changed)
        {
            changed = false;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample-gc-cap {sample.GcHeapHardLimitBytes}"));
        }
    });
    manager.Start();
    baseline.Wait();
    Console.WriteLine("ready");
    while (Console.ReadLine() is not null)
    {
    }

    return 0;
}

static int Rest(TimeSpan interval, int warmTicks, int windowTicks)
{
    using var manager = new MemoryPressureManager(RestingHandlers.Ladder(), new MemoryPressureOptions { CheckInterval = interval, HandlerTimeout = interval, AutoStart = false });
    using var handlers = RestingHandlers.Subscribe(manager);
    var window = new RestWindow(warmTicks, windowTicks);
    using var counting = manager.Dispatched.Subscribe(window);
    manager.Start();
    var bound = TimeSpan.FromTicks(interval.Ticks * (warmTicks + windowTicks) * 10) + TimeSpan.FromSeconds(30);
    if (!window.Closed.Wait(bound))
    {
        Console.Error.WriteLine($"the window did not close within {bound}: {window.Samples} samples");
        return 1;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Samples={window.Samples}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"WindowSamples={windowTicks}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SamplingThreadAllocatedBytes={window.ThreadAllocated}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ProcessAllocatedBytes={window.ProcessAllocated}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CompiledMethods={window.Compiled}"));
    return 0;
}

static int PrintSample()
{
    PrintFields(MemoryProbe.Default.Read());
    return 0;
}

static int Climb(string cgroup, long step, TimeSpan pause, long reportAt, long holdAt)
{
    using var usage = new CgroupCounter(cgroup, "memory.usage_in_bytes");
    using var memory = new TouchedMemory();
    Console.WriteLine("ready");
    while (Console.ReadLine() is { } command)
    {
        if (command == "free")
        {
            memory.FreeAll();
            Console.WriteLine("freed");
            continue;
        }

        var reported = false;
        while (holdAt == 0 || usage.Read() < holdAt)
        {
            // The crossing happens somewhere in the step: stamp its start, so a latency measured from
            // here is never shorter than the true one.
            var stepStart = Stopwatch.GetTimestamp();
            memory.Touch(step);
            if (!reported && usage.Read() >= reportAt)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crossed {stepStart}"));
                reported = true;
            }

            Thread.Sleep(pause);
        }

        Console.WriteLine("holding");
    }

    return 0;
}

static int Thrash(string cgroup, long anon, string file, long fileBytes, TimeSpan duration)
{
    using var usage = new CgroupCounter(cgroup, "memory.usage_in_bytes");
    using var failures = new CgroupCounter(cgroup, "memory.failcnt");
    using var memory = new TouchedMemory();
    Console.WriteLine("ready");
    Console.ReadLine();
    while (usage.Read() < anon)
    {
        memory.Touch(1 << 20);
    }

    // Pressure begins when a charge first finds the cgroup at its limit and must reclaim.
    var atLimit = false;
    void ReportLimit()
    {
        if (!atLimit && failures.Read() > 0)
        {
            Console.WriteLine("at-limit");
            atLimit = true;
        }
    }

    var buffer = new byte[1 << 20];
    Random.Shared.NextBytes(buffer);
    try
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var output = new FileStream(file, FileMode.OpenOrCreate, FileAccess.Write);
            for (long written = 0; written < fileBytes; written += buffer.Length)
            {
                output.Write(buffer);
                ReportLimit();
            }
        }
    }
    finally
    {
        File.Delete(file);
    }

    return 0;
}

static int ProbeBesideKernel(long pageCacheBytes)
{
    var cgroup = KernelFigures.OwnV2Cgroup();

    // Held open to the end: the guest's hostfs keeps no inode of a closed file, and drops its pages with it.
    using var cached = new FileStream(
        Path.Combine(Path.GetTempPath(), "page-cache"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
    var buffer = new byte[1 << 20];
    Random.Shared.NextBytes(buffer);
    for (long written = 0; written < pageCacheBytes; written += buffer.Length)
    {
        cached.Write(buffer);
    }

    cached.Flush(flushToDisk: true);
    cached.Position = 0;
    while (cached.Read(buffer) > 0)
    {
    }

    using var probe = new LinuxMemoryProbe();
    probe.Read(); // the first read opens the files; the one compared is the second
    var before = KernelFigures.Read(cgroup);
    var sample = probe.Read();
    var after = KernelFigures.Read(cgroup);
    PrintFields(sample);
    Console.WriteLine($"Kernel.Cgroup={cgroup}");
    Print("Kernel.Before", before);
    Print("Kernel.After", after);
    for (var directory = cgroup; directory.Length > "/sys/fs/cgroup".Length; directory = Path.GetDirectoryName(directory)!)
    {
        Console.WriteLine($"Kernel.Limit.{Path.GetRelativePath("/sys/fs/cgroup", directory)}={File.ReadAllText(Path.Combine(directory, "memory.max")).Trim()}");
    }

    return 0;

    static void Print(string prefix, Dictionary<string, long> figures)
    {
        foreach (var (name, value) in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}.{name}={value}"));
        }
    }
}

static int WatchMemoryEvents(string counter, string events, string action, long mebibytes, TimeSpan bound)
{
    var ladder = new SeverityLadder(MemoryCondition.Parse("LocalRelative < 1%"));

    // Polls far apart, so that the samples of the run are the triggers'.
    var options = new MemoryPressureOptions { AutoStart = false, CheckInterval = TimeSpan.FromMinutes(10), SamplingFloor = TimeSpan.FromMinutes(10) };
    using var manager = new MemoryPressureManager(ladder, options);
    var frequency = (double)Stopwatch.Frequency;
    var baseline = KernelFigures.Counter(events, counter);
    var quietAt = Stopwatch.GetTimestamp(); // the counter was at its baseline at least until here

    // The sample that counts is one the source caused (its signal count grew) that finds the
    // counter moved: the source also hears the other counters (a sibling's max events before its OOM kill).
    long signalsSeen = 0, samples = 0, eventSamples = 0, sampledAt = 0;
    MemorySample eventSample = default;
    using var sampled = new ManualResetEventSlim();
    using var subscription = manager.Samples.Subscribe(sample =>
    {
        var now = Stopwatch.GetTimestamp();
        samples++;
        var signals = MemoryEvents(manager).Signals;
        if (signals > signalsSeen)
        {
            signalsSeen = signals;
            eventSamples++;
            if (sampledAt == 0 && KernelFigures.Counter(events, counter) > baseline)
            {
                sampledAt = now;
                eventSample = sample;
                sampled.Set();
            }
        }
    });
    manager.Start();
    Console.WriteLine($"Status={MemoryEvents(manager)}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Baseline={baseline}"));
    Console.WriteLine("ready");

    using var memory = new TouchedMemory();
    var file = Path.Combine(Path.GetTempPath(), "page-cache");
    var buffer = new byte[1 << 20];
    Random.Shared.NextBytes(buffer);
    long eventAt = 0, grown = 0;
    var clock = Stopwatch.StartNew();
    try
    {
        using var output = action == "write" ? new FileStream(file, FileMode.Create, FileAccess.Write) : null;
        while (eventAt == 0 && clock.Elapsed < bound && (action == "wait" || grown < mebibytes))
        {
            switch (action)
            {
                case "grow":
                    memory.Touch(1 << 20);
                    break;
                case "write":
                    output!.Write(buffer);
                    break;
                default:
                    Thread.Sleep(5);
                    break;
            }

            grown++;

            // The counter moved after the last read that found it quiet: from there the latency is never shorter than the true one.
            var readAt = Stopwatch.GetTimestamp();
            if (KernelFigures.Counter(events, counter) > baseline)
            {
                eventAt = quietAt;
            }

            quietAt = readAt;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GrownMiB={(action == "wait" ? 0 : grown)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EventSeen={eventAt != 0}"));
        var seen = eventAt != 0 && sampled.Wait(bound);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SampleSeen={seen}"));
        if (seen)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LatencyMs={(sampledAt - eventAt) * 1000 / frequency:0.###}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EventSample.CgroupUsageBytes={eventSample.CgroupUsageBytes}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EventSample.ProcessLimitBytes={eventSample.ProcessLimitBytes}"));
            Console.WriteLine($"EventSample.BindingLimit={eventSample.BindingLimit}");
        }
    }
    finally
    {
        memory.FreeAll();
        File.Delete(file);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Counter={KernelFigures.Counter(events, counter)}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Samples={Interlocked.Read(ref samples)}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EventSamples={Interlocked.Read(ref eventSamples)}"));
    Console.WriteLine($"FinalStatus={MemoryEvents(manager)}");
    return 0;

    static TriggerStatus MemoryEvents(MemoryPressureManager manager) => manager.Triggers.Single(status => status.Source == TriggerSource.MemoryEvents);
}

static void PrintFields(MemorySample sample)
{
    foreach (var property in typeof(MemorySample).GetProperties())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{property.Name}={property.GetValue(sample)}"));
    }
}

static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine(
        "usage: MemoryPressure.Reactive.TestChild probe | climb <cgroup-dir> <step-KiB> <pause-ms> <report-at-bytes> <hold-at-bytes> | thrash <cgroup-dir> <anon-bytes> <file> <file-bytes> <seconds>"
        + " | rest <interval-ms> <warm-ticks> <window-ticks> | kernel-probe <page-cache-MiB> | memory-events <counter> <memory.events path> grow|write|wait <MiB> <bound-seconds>");
    return 2;
}

/// <summary>
/// The window of the rest command, run by a handler of every sample on the sampling thread: its
/// edges read the thread's and the process's allocated bytes and the JIT's count of compiled methods.
/// </summary>
internal sealed class RestWindow(int warmTicks, int windowTicks) : IObserver<MemorySample>
{
    private long _threadAllocated;
    private long _processAllocated;
    private long _compiled;

    public ManualResetEventSlim Closed { get; } = new();

    public int Samples { get; private set; }

    public long ThreadAllocated => _threadAllocated;

    public long ProcessAllocated => _processAllocated;

    public long Compiled => _compiled;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnNext(MemorySample value)
    {
        Samples++;
        if (Samples == warmTicks)
        {
            Opens();
            (_threadAllocated, _processAllocated, _compiled) = (GC.GetAllocatedBytesForCurrentThread(), GC.GetTotalAllocatedBytes(precise: true), System.Runtime.JitInfo.GetCompiledMethodCount());
        }
        else if (Samples == warmTicks + windowTicks)
        {
            (_threadAllocated, _processAllocated, _compiled) = (GC.GetAllocatedBytesForCurrentThread() - _threadAllocated, GC.GetTotalAllocatedBytes(precise: true) - _processAllocated, System.Runtime.JitInfo.GetCompiledMethodCount() - _compiled);
            Closes();
            Closed.Set();
        }
    }

    public void OnError(Exception error) => Console.Error.WriteLine(error);

    public void OnCompleted()
    {
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Opens()
    {
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Closes()
    {
    }
}

/// <summary>A one-number file of a cgroup v1 memory controller, held open and re-read from its start.</summary>
internal sealed class CgroupCounter(string directory, string name) : IDisposable
{
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _file = File.OpenHandle(Path.Combine(directory, name));
    private readonly byte[] _buffer = new byte[32];

    public long Read()
    {
        var length = RandomAccess.Read(_file, _buffer, 0);
        return long.Parse(_buffer.AsSpan(0, length).Trim((byte)'\n'), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>
/// Native memory the GC does not cap: one large reservation (mapped apart by malloc, and not charged
/// until touched) whose pages are touched step by step, and unmapped whole to give it all back.
/// </summary>
internal sealed class TouchedMemory : IDisposable
{
    private const long Capacity = 1L << 30;
    private nint _region = Marshal.AllocHGlobal((nint)Capacity);
    private long _touched;

    public void Touch(long bytes)
    {
        var end = Math.Min(_touched + bytes, Capacity);
        for (; _touched < end; _touched += Environment.SystemPageSize)
        {
            Marshal.WriteByte(_region + (nint)_touched, 1);
        }
    }

    public void FreeAll()
    {
        Marshal.FreeHGlobal(_region);
        _region = Marshal.AllocHGlobal((nint)Capacity);
        _touched = 0;
    }

    public void Dispose() => Marshal.FreeHGlobal(_region);
}

/// <summary>The kernel's own figures for a cgroup v2, read the way the kubelet reads them.</summary>
internal static class KernelFigures
{
    /// <summary>The process's v2 cgroup directory, from the "0::/path" line of /proc/self/cgroup.</summary>
    public static string OwnV2Cgroup()
    {
        var line = File.ReadAllLines("/proc/self/cgroup").Single(line => line.StartsWith("0::", StringComparison.Ordinal));
        return "/sys/fs/cgroup" + line[3..].TrimEnd('/');
    }

    /// <summary>memory.current, the anon, file, active_file and inactive_file of memory.stat, and the working set (current less inactive_file).</summary>
    public static Dictionary<string, long> Read(string cgroup)
    {
        var current = long.Parse(File.ReadAllText(Path.Combine(cgroup, "memory.current")).Trim(), CultureInfo.InvariantCulture);
        var stat = File.ReadAllLines(Path.Combine(cgroup, "memory.stat"))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));
        return new Dictionary<string, long>
        {
            ["current"] = current,
            ["anon"] = stat["anon"],
            ["file"] = stat["file"],
            ["active_file"] = stat["active_file"],
            ["inactive_file"] = stat["inactive_file"],
            ["working_set"] = current - stat["inactive_file"],
        };
    }

    /// <summary>One counter of a memory.events file.</summary>
    public static long Counter(string events, string name) =>
        File.ReadAllLines(events)
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == name)
            .Select(parts => long.Parse(parts[1], CultureInfo.InvariantCulture))
            .Single();
}
