using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using MemoryPressure.Reactive.Benchmarks.Ladder;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Benchmarks.Samples;

/// <summary>
/// What a sample costs above the kernel's own work: one read of the Linux probe, judged by a manager
/// with the 5-level ladder and 10 subscribers, against the bare <c>pread</c> calls of the same files
/// (<c>/proc/self/statm</c>, <c>/proc/meminfo</c>, <c>/proc/self/cgroup</c>, the cgroup's usage, limit and
/// <c>memory.stat</c>, and on v2 the ancestors' <c>memory.max</c>) on descriptors held open, parsed not at all.
/// Target: within 1.3 times the baseline. Linux only.
/// </summary>
[MemoryDiagnoser]
public class ProbeOverheadBenchmarks : IDisposable
{
    private readonly LinuxMemoryProbe _probe = new();
    private readonly Subject<MemorySample> _feed = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private FileDescriptor[] _files = [];
    private MemoryPressureManager _manager = null!;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        _probe.Read();
        var location = CgroupLocation.Of(0);
        var cgroup = CgroupMemoryFiles.Locate(location, _ => true)
            ?? throw new InvalidOperationException("This benchmark needs a memory cgroup.");
        string[] paths = [ProcStatm.Path, MemInfo.Path, CgroupMembership.Path, cgroup.UsagePath, cgroup.LimitPath, cgroup.StatPath, .. cgroup.AncestorLimitPaths];
        _files = [.. paths.Select(p => Libc.Open(p, Libc.ReadOnly, out _)).Where(f => !f.IsInvalid)];
        if (_files.Length != paths.Length || _probe.CgroupDirectory != cgroup.Directory)
        {
            throw new InvalidOperationException($"The probe reads {_probe.CgroupDirectory}; the baseline opened {_files.Length} of {string.Join(", ", paths)}.");
        }

        _manager = new MemoryPressureManager(new SeverityLadder(LadderOfFive.Conditions()), new MemoryPressureOptions { Samples = _feed });
        for (var i = 0; i < 10; i++)
        {
            _manager.Samples.Subscribe(s => _sink += s.ProcessResidentBytes);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _manager.Dispose();
        _feed.Dispose();
        _probe.Dispose();
        foreach (var file in _files)
        {
            file.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public int RawKernelReads()
    {
        var bytes = 0;
        foreach (var file in _files)
        {
            bytes += Libc.PRead(file, _buffer, 0);
        }

        return bytes;
    }

    [Benchmark]
    public long ProbeReadAndDispatch()
    {
        _feed.OnNext(_probe.Read());
        return _sink;
    }
}
