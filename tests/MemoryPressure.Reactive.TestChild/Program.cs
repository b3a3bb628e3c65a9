using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive;

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
return args switch
{
    ["probe"] => PrintSample(),
    ["climb", var cgroup, var step, var pause, var reportAt, var holdAt] =>
        Climb(cgroup, Number(step) * 1024, TimeSpan.FromMilliseconds(Number(pause)), Number(reportAt), Number(holdAt)),
    ["thrash", var cgroup, var anon, var file, var fileBytes, var seconds] =>
        Thrash(cgroup, Number(anon), file, Number(fileBytes), TimeSpan.FromSeconds(Number(seconds))),
    _ => Usage(),
};

static int PrintSample()
{
    var sample = MemoryProbe.Default.Read();
    foreach (var property in typeof(MemorySample).GetProperties())
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{property.Name}={property.GetValue(sample)}"));
    }

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

static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.TestChild probe | climb <cgroup-dir> <step-KiB> <pause-ms> <report-at-bytes> <hold-at-bytes> | thrash <cgroup-dir> <anon-bytes> <file> <file-bytes> <seconds>");
    return 2;
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
