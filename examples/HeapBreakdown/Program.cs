// Fills the heap with small objects, dumps this process twice, prints the second breakdown, then what
// each dump cost: time, peak extra memory of this process, dump file size. The first dump also pays for
// loading ClrMD and the runtime's DAC; the second shows the cost of a dump alone.
// Usage: dotnet run -c Release --project examples/HeapBreakdown -- [ballast MiB, default 100] [dump directory]
// Without a directory the dumps go to a private temporary one, removed at the end.
using System.Diagnostics;
using System.Globalization;
using MemoryPressure.Reactive.Diagnostics;

var ballastMib = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var directory = args.Length > 1 ? args[1] : Directory.CreateTempSubdirectory("heap-breakdown-").FullName;

// A linked list: every byte of the ballast is a small object, with no large array holding them.
Node? ballast = null;
for (long i = 0; i < ((long)ballastMib << 20) / Node.Size; i++)
{
    ballast = new Node(ballast);
}

GC.Collect();
var heapBytes = GC.GetTotalMemory(forceFullCollection: false);
var succeeded = Measure("first dump", TextWriter.Null) && Measure("second dump", Console.Out);
GC.KeepAlive(ballast);

if (args.Length <= 1)
{
    Directory.Delete(directory, recursive: true);
}

return succeeded ? 0 : 1;

bool Measure(string name, TextWriter output)
{
    var residentBefore = Status("VmRSS");
    ResetPeakResident();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();

    var result = MemoryDump.DumpMemoryOn(output, new MemoryDumpOptions { KeepDumpFile = true, DumpDirectory = directory, MaximumKeptDumps = 1 });

    var elapsed = clock.Elapsed;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var peak = Status("VmHWM");
    var residentAfter = Status("VmRSS");
    if (result.DumpFilePath is not { } dump)
    {
        Console.WriteLine($"{name}: {result}");
        return false;
    }

    var dumpBytes = new FileInfo(dump).Length;
    File.Delete(dump);
    Console.WriteLine(
        $"{name}: heap {Mib(heapBytes)}; dump {Mib(dumpBytes)} written in {result.DumpDuration.TotalSeconds:F2} s, breakdown in {result.AnalysisDuration.TotalSeconds:F2} s ({elapsed.TotalSeconds:F2} s in all); " +
        $"resident {Mib(residentBefore)} before, peak {Mib(peak)} (+{Mib(peak - residentBefore)}, {100.0 * (peak - residentBefore) / heapBytes:F1}% of the heap), {Mib(residentAfter)} after; {Mib(allocated)} allocated on the managed heap");
    return true;
}

static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N1} MiB");

// Linux: the kernel's figures for this process, in bytes; 0 elsewhere.
static long Status(string field) =>
    OperatingSystem.IsLinux()
        ? long.Parse(File.ReadLines("/proc/self/status").First(line => line.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024
        : 0;

// Linux: resets VmHWM to the current resident set, so it shows the peak of the dump alone.
static void ResetPeakResident()
{
    if (OperatingSystem.IsLinux())
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
    }
}

internal sealed class Node(Node? next)
{
    // Header, method table pointer, the reference and the long: 32 bytes on a 64-bit heap.
    public const int Size = 32;

    public Node? Next { get; } = next;

    public long Value { get; } = 1;
}
