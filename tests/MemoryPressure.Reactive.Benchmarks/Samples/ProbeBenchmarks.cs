using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace MemoryPressure.Reactive.Benchmarks.Samples;

/// <summary>
/// One read of the default probe against the obvious way to get the same figures:
/// <c>Process.GetCurrentProcess().WorkingSet64</c> and <c>/proc/meminfo</c> read and parsed as text.
/// Target: the probe allocates nothing and costs a fraction of the baseline; it reads more than the
/// baseline (the cgroup's usage, limit and <c>memory.stat</c>, the ancestors' limits on v2).
/// </summary>
[MemoryDiagnoser]
public class ProbeBenchmarks
{
    private readonly IMemoryProbe _probe = MemoryProbe.Default;

    [GlobalSetup]
    public void Setup() => _probe.Read();

    [Benchmark(Baseline = true)]
    public long ProcessWorkingSetAndMeminfoText()
    {
        using var process = Process.GetCurrentProcess();
        var resident = process.WorkingSet64;
        long available = 0;
        foreach (var line in File.ReadAllText("/proc/meminfo").Split('\n'))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                available = long.Parse(line.AsSpan(13).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                break;
            }
        }

        return resident + available;
    }

    [Benchmark]
    public long DefaultProbeRead()
    {
        var sample = _probe.Read();
        return sample.ProcessResidentBytes + sample.SystemAvailableBytes;
    }
}
