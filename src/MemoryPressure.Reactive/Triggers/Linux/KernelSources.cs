using System.Reactive.Disposables;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// The five kernel trigger sources of a manager (PSI, usage thresholds, pressure level, memory
/// events, limit writes), the thread that waits on them, and the cgroup files they share.
/// </summary>
internal sealed class KernelSources : IDisposable
{
    private readonly SerialDisposable _thresholds = new();
    private KernelEventWatcher? _watcher;
    private CgroupEventControl? _cgroupV1;

    private KernelSources(SourceStatus pressureStall, SourceStatus usageThreshold, SourceStatus pressureLevel, SourceStatus memoryEvents, SourceStatus limitWrites)
    {
        Statuses = [pressureStall, usageThreshold, pressureLevel, memoryEvents, limitWrites];
    }

    /// <summary>Gets the statuses of PSI, usage thresholds, pressure level, memory events and limit writes, in that order.</summary>
    public SourceStatus[] Statuses { get; }

    /// <summary>Starts each source whose reason to be off is <see langword="null"/>, where the machine allows.</summary>
    /// <param name="options">The trigger options.</param>
    /// <param name="off">For each source, why it is off, or <see langword="null"/> to start it.</param>
    /// <param name="thresholds">Where the usage thresholds go, from the ladder's conditions.</param>
    /// <param name="samples">The samples the manager judges, which move the usage thresholds.</param>
    /// <param name="sink">Where the sources send requests and failures.</param>
    public static KernelSources Start(
        MemoryPressureTriggers options, (string? Stall, string? Usage, string? Level, string? Events, string? Writes) off, IUsageThresholds thresholds, IObservable<MemorySample> samples, ITriggerSink sink)
    {
        var sources = new KernelSources(
            Placeholder(TriggerSource.PressureStall, off.Stall),
            Placeholder(TriggerSource.UsageThreshold, off.Usage),
            Placeholder(TriggerSource.PressureLevel, off.Level),
            Placeholder(TriggerSource.MemoryEvents, off.Events),
            Placeholder(TriggerSource.LimitWrites, off.Writes));
        if (off is (not null, not null, not null, not null, not null))
        {
            return sources;
        }

        if (!OperatingSystem.IsLinux())
        {
            sources.Unavailable("the kernel sources are Linux only");
            return sources;
        }

        CgroupLocation location;
        try
        {
            location = CgroupLocation.Of(options.ProcessId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            sources.Unavailable($"the process's cgroups cannot be read: {e.Message}");
            return sources;
        }

        KernelEventWatcher watcher;
        try
        {
            watcher = sources._watcher = new KernelEventWatcher(options.MinimumGap);
        }
        catch (IOException e)
        {
            sources.Unavailable(e.Message);
            return sources;
        }

        if (off.Stall is null)
        {
            sources.Statuses[0] = PressureStallSource.Start(PsiTrigger.Parse(options.PressureStallTrigger), location, watcher, sink).Status;
        }

        if (off.Usage is null || off.Level is null)
        {
            sources.StartCgroupV1(options, location, watcher, off.Usage is null ? thresholds : null, off.Level is null, samples, sink);
        }

        if (off.Events is null)
        {
            sources.Statuses[3] = MemoryEventsSource.Start(location, watcher, sink).Status;
        }

        if (off.Writes is null)
        {
            sources.Statuses[4] = LimitWritesSource.Start(location, watcher, sink).Status;
        }

        if (!Array.Exists(sources.Statuses, s => s.State == TriggerState.Active))
        {
            // Nothing to wait for: no idle thread, no descriptor held.
            sources.Dispose();
        }

        return sources;
    }

    /// <summary>Stops the sources: no more threshold moves, then the thread (which closes its descriptors), then the shared files.</summary>
    public void Dispose()
    {
        _thresholds.Dispose();
        _watcher?.Dispose();
        _cgroupV1?.Dispose();
    }

    private static SourceStatus Placeholder(TriggerSource source, string? off)
    {
        var status = new SourceStatus(source);
        status.Set(off is null ? TriggerState.Unavailable : TriggerState.Off, off ?? "not started");
        return status;
    }

    private void StartCgroupV1(
        MemoryPressureTriggers options, CgroupLocation location, KernelEventWatcher watcher, IUsageThresholds? thresholds, bool pressureLevel, IObservable<MemorySample> samples, ITriggerSink sink)
    {
        var reason = "the process has no cgroup v1 memory controller (cgroup v2 has no usage or level notification: PSI covers it)";
        _cgroupV1 = location.V1MemoryDirectory is { } directory ? CgroupEventControl.TryOpen(directory, out reason) : null;
        if (_cgroupV1 is null)
        {
            Unavailable(reason, first: 1, count: 2);
            return;
        }

        if (thresholds is not null)
        {
            if (thresholds.Capacity == 0)
            {
                Statuses[1].Set(TriggerState.Unavailable, "no level has a LocalAbsolute or LocalRelative condition to place a threshold for");
            }
            else
            {
                var source = new UsageThresholdSource(thresholds, _cgroupV1, watcher, sink);
                _thresholds.Disposable = new CompositeDisposable(samples.Subscribe(source), source);
                Statuses[1] = source.Status;
            }
        }

        if (pressureLevel)
        {
            Statuses[2] = PressureLevelSource.Start(_cgroupV1, options.MinimumPressureLevel, watcher, sink).Status;
        }
    }

    /// <summary>Marks every source (or <paramref name="count"/> from <paramref name="first"/> on) that is neither off nor started unavailable.</summary>
    private void Unavailable(string reason, int first = 0, int? count = null)
    {
        foreach (var status in Statuses.AsSpan(first, count ?? Statuses.Length - first))
        {
            if (status.State == TriggerState.Unavailable)
            {
                status.Set(TriggerState.Unavailable, reason);
            }
        }
    }
}
