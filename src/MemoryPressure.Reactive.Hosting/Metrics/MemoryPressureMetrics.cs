using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>The instruments of <see cref="MemoryPressureInstruments"/>, fed by the host's manager.</summary>
internal sealed class MemoryPressureMetrics
{
    /// <summary>Bucket boundaries for handler durations, in seconds: from 100 µs (a log line) to 10 s (a forced collection of a large heap).</summary>
    private static readonly double[] DurationBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    private readonly Counter<long> _transitions;
    private readonly Counter<long> _reactions;
    private readonly Counter<long> _errors;
    private readonly StepTimer _timer;

    public MemoryPressureMetrics(IMeterFactory meterFactory, MemoryPressureService service, TimeProvider time)
    {
        var meter = meterFactory.Create(MemoryPressureInstruments.MeterName);
        meter.CreateObservableGauge(
            MemoryPressureInstruments.SeverityLevel, () => service.Manager.SeverityLevel, "{level}", "The current memory pressure level; 0 when memory is fine.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.ProcessMemoryUsage, () => Latest(service, static s => s.ProcessResidentBytes), "By", "Resident bytes of the process in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.ProcessMemoryLimit, () => Latest(service, static s => s.ProcessLimitBytes), "By", "The most the process may use in the latest sample; 0 when unknown.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.SystemMemoryAvailable, () => Latest(service, static s => s.SystemAvailableBytes), "By", "Memory available to new work on the machine in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.SystemMemoryLimit, () => Latest(service, static s => Known(s.SystemTotalBytes)), "By", "Physical memory of the machine in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.CgroupMemoryUsage,
            () => Latest(service, static s => Known(s.CgroupUsageBytes)),
            "By",
            "Memory charged to the process's cgroup, page cache included, in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.CgroupMemoryWorkingSet,
            () => Latest(service, static s => Known(s.CgroupWorkingSetBytes)),
            "By",
            "The cgroup's usage less its inactive file cache in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.CgroupMemoryLimit,
            () => Latest(service, static s => Known(s.CgroupLimitBytes)),
            "By",
            "The tightest memory limit of the process's cgroup and its ancestors in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.CgroupMemoryHigh,
            () => Latest(service, static s => Known(s.CgroupHighBytes)),
            "By",
            "The tightest memory.high of the process's cgroup and its ancestors in the latest sample, where the kernel starts to throttle.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.GcHeapUsage, () => Latest(service, static s => s.ManagedHeapBytes), "By", "Bytes in use on the managed heap in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.GcHeapLimit, () => Latest(service, static s => Known(s.GcHeapHardLimitBytes)), "By", "The GC heap hard limit in the latest sample.");
        meter.CreateObservableUpDownCounter(
            MemoryPressureInstruments.Headroom,
            () => Latest(service, static s => s.BindingLimit is { Limit: not MemoryLimitSource.Unknown } binding ? binding.HeadroomBytes : null),
            "By",
            "The room left under the limit the process would reach first, in the latest sample; negative when over it.");
        _transitions = meter.CreateCounter<long>(MemoryPressureInstruments.Transitions, "{transition}", "Steps of the memory pressure level, by level and direction.");
        _reactions = meter.CreateCounter<long>(MemoryPressureInstruments.Reactions, "{reaction}", "Reactions of memory pressure levels, on entry and on each repeat, by level and kind.");
        _errors = meter.CreateCounter<long>(MemoryPressureInstruments.Errors, "{error}", "Failures of memory pressure handlers, probes, conditions and sample sources.");
        var durations = meter.CreateHistogram(
            MemoryPressureInstruments.HandlerDuration,
            "s",
            "The time the manager's handlers took for one step of the memory pressure level.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _timer = new StepTimer(time, durations);
    }

    /// <summary>The attributes of a step: its level and its direction.</summary>
    public static TagList StepTags(LevelChanged step) => new()
    {
        { MemoryPressureInstruments.LevelAttribute, step.Level },
        { MemoryPressureInstruments.DirectionAttribute, step.IsEntering ? "entered" : "left" },
    };

    public void OnStep(LevelChanged step)
    {
        _timer.StepStarted(step);
        _transitions.Add(1, StepTags(step));
    }

    public void OnReaction(MemoryReaction reaction) => _reactions.Add(
        1,
        new KeyValuePair<string, object?>(MemoryPressureInstruments.LevelAttribute, reaction.Level),
        new KeyValuePair<string, object?>(MemoryPressureInstruments.ReactionKindAttribute, reaction.Kind == MemoryReactionKind.Repeated ? "repeated" : "entered"));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnDispatched() => _timer.DispatchEnded();

    public void OnError(Exception error) => _errors.Add(1, new KeyValuePair<string, object?>("error.type", error.GetType().FullName));

    /// <summary>The figure of the latest sample, none before the first sample or when the sample has no such figure.</summary>
    private static IEnumerable<Measurement<long>> Latest(MemoryPressureService service, Func<MemorySample, long?> figure) =>
        service.LatestSample is { } sample && figure(sample) is { } value ? [new Measurement<long>(value)] : [];

    /// <summary>A figure for which the sample's 0 means "none" (no cgroup, no limit): no measurement rather than a 0 a chart would show as a limit.</summary>
    private static long? Known(long bytes) => bytes > 0 ? bytes : null;
}
