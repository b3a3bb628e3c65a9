using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Probes;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive;

/// <summary>
/// Reads memory figures from the Linux kernel and the runtime, aware of the process's memory cgroup
/// (v1 and v2). A steady-state <see cref="Read"/> is a handful of <c>pread</c> calls on files kept
/// open, and allocates nothing.
/// </summary>
/// <remarks>
/// <para>What each figure comes from, and what stands in when it cannot be read:</para>
/// <list type="table">
/// <listheader><term>figure</term><description>source (fallback)</description></listheader>
/// <item><term><see cref="MemorySample.ProcessResidentBytes"/></term><description>second field of <c>/proc/self/statm</c> times the page size (<see cref="Environment.WorkingSet"/>)</description></item>
/// <item><term><see cref="MemorySample.ManagedHeapBytes"/></term><description><see cref="GC.GetTotalMemory(bool)"/></description></item>
/// <item><term><see cref="MemorySample.SystemTotalBytes"/>, <see cref="MemorySample.SystemAvailableBytes"/></term><description><c>MemTotal</c>, <c>MemAvailable</c> of <c>/proc/meminfo</c> (<see cref="GC.GetGCMemoryInfo()"/>)</description></item>
/// <item><term><see cref="MemorySample.CgroupUsageBytes"/></term><description>v2 <c>memory.current</c> or v1 <c>memory.usage_in_bytes</c> of the cgroup named in <c>/proc/self/cgroup</c>, found through <c>/proc/self/mountinfo</c> (0)</description></item>
/// <item><term><see cref="MemorySample.CgroupWorkingSetBytes"/></term><description>the usage less v2 <c>inactive_file</c> or v1 <c>total_inactive_file</c> of <c>memory.stat</c> (the usage, <see cref="MemoryProbeFallbacks.CgroupStatUnreadable"/>)</description></item>
/// <item><term><see cref="MemorySample.CgroupLimitBytes"/></term><description>the least of v2 <c>memory.max</c> of the cgroup and its ancestors up to the mount's root, or of v1 <c>memory.limit_in_bytes</c> and <c>hierarchical_memory_limit</c> of <c>memory.stat</c> (0; an ancestor that cannot be read is skipped, <see cref="MemoryProbeFallbacks.AncestorLimitUnreadable"/>)</description></item>
/// <item><term><see cref="MemorySample.CgroupHighBytes"/></term><description>the least v2 <c>memory.high</c> of the cgroup and its ancestors (0; v1 has none)</description></item>
/// <item><term><see cref="MemorySample.ProcessLimitBytes"/></term><description>the explicit limit, else the tighter of the cgroup limit and <c>memory.high</c> when below physical memory, else the GC heap hard limit, else physical memory</description></item>
/// </list>
/// <para>
/// <c>/proc/self/cgroup</c> is read on every call, so a process moved to another cgroup is
/// followed at the next read; a cgroup whose files cannot be read (removed, or garbage) gives
/// no cgroup figures and sets <see cref="MemoryProbeFallbacks.CgroupUnreadable"/>. <see cref="Fallbacks"/> says which figures came
/// from a fallback at the last read. The GC heap hard limit is read at construction and again
/// whenever the cgroup limit changes or the manager has the GC refresh it.
/// </para>
/// <para>Safe to call from several threads: reads are serialized.</para>
/// </remarks>
public sealed class LinuxMemoryProbe : IMemoryProbe, IDisposable
{
    private readonly IKernelFiles _files;
    private readonly CgroupHierarchy _hierarchy;
    private readonly long _explicitLimitBytes;
    private readonly long _pageSize = Environment.SystemPageSize;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[1024];
    private byte[] _membershipScratch = new byte[1024];
    private byte[] _membershipText = new byte[1024];
    private byte[] _mountText = new byte[4096];
    private int _membershipLength = -1;
    private CgroupMemoryFiles? _cgroup;
    private long _lastCgroupLimit = -1;
    private long _gcHeapHardLimit;
    private int _gcRefreshes;
    private MemoryProbeFallbacks _fallbacks;
    private bool _shared;
    private bool _disposed;

    /// <summary>Initializes a probe that finds the process's limit by itself.</summary>
    public LinuxMemoryProbe()
        : this(new KernelFiles(), 0)
    {
    }

    /// <summary>Initializes a probe that reports an explicit process limit.</summary>
    /// <param name="processLimitBytes">The most the process may use, in bytes; <c>0</c> to find it from the cgroup, the GC or the machine.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processLimitBytes"/> is negative.</exception>
    public LinuxMemoryProbe(long processLimitBytes)
        : this(new KernelFiles(), processLimitBytes)
    {
    }

    internal LinuxMemoryProbe(IKernelFiles files, long processLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(processLimitBytes);
        _files = files;
        _hierarchy = new CgroupHierarchy(files);
        _explicitLimitBytes = processLimitBytes;
        _gcHeapHardLimit = GcLimits.ReadHeapHardLimit(0);
    }

    /// <summary>Gets which figures came from a fallback at the last <see cref="Read"/>.</summary>
    public MemoryProbeFallbacks Fallbacks
    {
        get
        {
            lock (_gate)
            {
                return _fallbacks;
            }
        }
    }

    /// <summary>Gets the directory of the process's memory cgroup found at the last <see cref="Read"/>, or <see langword="null"/>.</summary>
    public string? CgroupDirectory
    {
        get
        {
            lock (_gate)
            {
                return _cgroup?.Directory;
            }
        }
    }

    /// <summary>Gets the version (1 or 2) of the process's memory cgroup found at the last <see cref="Read"/>, or 0 when none was found.</summary>
    public int CgroupVersion
    {
        get
        {
            lock (_gate)
            {
                return _cgroup?.Version ?? 0;
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The probe has been disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public MemorySample Read()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var fallbacks = MemoryProbeFallbacks.None;

            long resident;
            var length = _files.Read(ProcStatm.Path, _buffer);
            if (length > 0 && ProcStatm.TryParseResidentPages(_buffer.AsSpan(0, length), out var pages))
            {
                resident = pages * _pageSize;
            }
            else
            {
                resident = Environment.WorkingSet;
                fallbacks |= MemoryProbeFallbacks.ResidentFromRuntime;
            }

            length = _files.Read(MemInfo.Path, _buffer);
            if (length <= 0 || !MemInfo.TryParse(_buffer.AsSpan(0, length), out var total, out var available))
            {
                (total, available) = GcLimits.ReadSystemMemory();
                fallbacks |= MemoryProbeFallbacks.SystemFromRuntime;
            }

            long usage = 0, cgroupLimit = 0, workingSet = 0, high = 0;
            if (FollowMembership())
            {
                if (TryReadCgroup(_cgroup, out usage, out cgroupLimit))
                {
                    fallbacks |= _hierarchy.Read(_cgroup, usage, ref cgroupLimit, out workingSet, out high);
                }
                else
                {
                    fallbacks |= MemoryProbeFallbacks.CgroupUnreadable;
                }
            }

            if (cgroupLimit != _lastCgroupLimit || GcLimits.Refreshes != _gcRefreshes)
            {
                // A new container limit may have moved the GC's own limit with it, and so may a refresh.
                (_lastCgroupLimit, _gcRefreshes) = (cgroupLimit, GcLimits.Refreshes);
                _gcHeapHardLimit = GcLimits.ReadHeapHardLimit(cgroupLimit);
            }

            _fallbacks = fallbacks;
            var (limit, source) = ProcessLimit.Choose(_explicitLimitBytes, cgroupLimit, high, _gcHeapHardLimit, total);
            return new MemorySample
            {
                ProcessResidentBytes = resident,
                ManagedHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
                SystemTotalBytes = total,
                SystemAvailableBytes = available,
                ProcessLimitBytes = limit,
                ProcessLimitSource = source,
                CgroupUsageBytes = usage,
                CgroupWorkingSetBytes = workingSet,
                CgroupLimitBytes = cgroupLimit,
                CgroupHighBytes = high,
                GcHeapHardLimitBytes = _gcHeapHardLimit,
            };
        }
    }

    /// <summary>Closes the kernel files the probe holds open.</summary>
    /// <remarks>
    /// Does nothing for <see cref="MemoryProbe.Default"/>: it is shared by everyone in the process, so
    /// a container or a component that disposes what it was given cannot break the others.
    /// </remarks>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_shared)
            {
                return;
            }

            _disposed = true;
            _files.Release();
        }
    }

    /// <summary>Creates the probe that <see cref="MemoryProbe.Default"/> shares, which disposal leaves working.</summary>
    internal static LinuxMemoryProbe CreateShared() => new() { _shared = true };

    /// <summary>
    /// Re-reads <c>/proc/self/cgroup</c> and, only when it changed, finds the cgroup's files again.
    /// </summary>
    /// <returns><see langword="true"/> when the process has a memory cgroup.</returns>
    [MemberNotNullWhen(true, nameof(_cgroup))]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FollowMembership()
    {
        var length = _files.ReadWhole(CgroupMembership.Path, ref _membershipScratch);
        if (length < 0)
        {
            _cgroup = null;
            _membershipLength = -1;
            return false;
        }

        var text = _membershipScratch.AsSpan(0, length);
        if (length == _membershipLength && text.SequenceEqual(_membershipText.AsSpan(0, length)))
        {
            return _cgroup is not null;
        }

        if (_membershipText.Length < length)
        {
            _membershipText = new byte[_membershipScratch.Length];
        }

        text.CopyTo(_membershipText);
        _membershipLength = length;
        _files.Release();

        var mountsLength = _files.ReadWhole(CgroupMounts.Path, ref _mountText);
        _cgroup = mountsLength < 0
            ? null
            : CgroupMemoryFiles.Locate(
                CgroupLocation.Parse(text, _mountText.AsSpan(0, mountsLength)),
                candidate => TryReadCgroup(candidate, out _, out _));
        return _cgroup is not null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryReadCgroup(CgroupMemoryFiles files, out long usage, out long limit)
    {
        limit = 0;
        var length = _files.Read(files.UsagePath, _buffer);
        if (length <= 0 || !CgroupValue.TryParseUsage(_buffer.AsSpan(0, length), out usage))
        {
            usage = 0;
            return false;
        }

        length = _files.Read(files.LimitPath, _buffer);
        return length > 0 && CgroupValue.TryParseLimit(_buffer.AsSpan(0, length), out limit);
    }
}
