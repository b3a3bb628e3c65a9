using System.Diagnostics.Metrics;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The host's manager and everything around it: built from the options, started when the host
/// starts (<see cref="MemoryPressureOptions.AutoStart"/> off until then), observed by the log, the
/// metrics, the health check and the cache compaction, disposed when the host stops.
/// </summary>
/// <remarks>
/// The host's own handlers subscribe before anyone else can reach the manager, so for each step the
/// log line and the counters come first, then the handlers of the application.
/// </remarks>
internal sealed class MemoryPressureService : IDisposable
{
    private readonly CompositeDisposable _subscriptions = [];
    private readonly Lock _latestSync = new();
    private readonly HealthStatus[] _health;
    private readonly TransitionLog _log;
    private readonly MemoryPressureMetrics? _metrics;
    private readonly CacheCompactions _compactions;
    private readonly string? _nativeTrimLevels;
    private MemorySample? _latest;
    private int _disposed;

    public MemoryPressureService(
        IOptions<MemoryPressureHostingOptions> options,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        IMemoryCache? memoryCache = null,
        TimeProvider? timeProvider = null)
    {
        var settings = options.Value;
        var ladder = new SeverityLadder([.. settings.Levels.Select(ToLadderLevel)]);
        _health = WorstHealthByLevel(settings.Levels);
        settings.Manager.AutoStart = false;
        Manager = new MemoryPressureManager(ladder, settings.Manager);
        _log = new TransitionLog((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MemoryPressureManager>(), ladder);
        if (meterFactory is not null)
        {
            _metrics = new MemoryPressureMetrics(meterFactory, this, timeProvider ?? TimeProvider.System);
        }

        _subscriptions.Add(Manager.Changes.Subscribe(OnStep));
        _subscriptions.Add(Manager.Samples.Subscribe(new SampleFollower(OnSample)));
        _subscriptions.Add(Manager.Errors.Subscribe(OnError));
        _subscriptions.Add(Manager.LimitChanges.Subscribe(_log.OnLimitChanged));
        if (_metrics is not null)
        {
            _subscriptions.Add(Manager.Reactions.Subscribe(_metrics.OnReaction));
        }

        _compactions = new CacheCompactions(Manager, settings.Manager.Scheduler);
        for (var level = 1; level <= ladder.Count; level++)
        {
            var levelOptions = settings.Levels[level - 1];
            var reaction = new LevelReaction(levelOptions.CompactMemoryCachePercent is not null ? memoryCache as MemoryCache : null, levelOptions, _compactions);
            var repeated = level;
            _subscriptions.Add(Manager.Repeated(level).Subscribe(sample => _log.OnRepeated(repeated, sample)));
            _subscriptions.Add(reaction.Install(Manager, level));
        }

        var trimming = Enumerable.Range(1, ladder.Count).Where(level => settings.Levels[level - 1].TrimNativeHeap).ToArray();
        _nativeTrimLevels = trimming.Length > 0 ? string.Join(", ", trimming) : null;
        _subscriptions.Add(Manager.Dispatched.Subscribe(new SampleFollower(OnDispatched)));
    }

    /// <summary>Gets the manager; it samples nothing before <see cref="Start"/>.</summary>
    public MemoryPressureManager Manager { get; }

    /// <summary>Gets the latest sample the manager judged, or <see langword="null"/> before the first.</summary>
    public MemorySample? LatestSample
    {
        get
        {
            lock (_latestSync)
            {
                return _latest;
            }
        }
    }

    /// <summary>Starts sampling: the first sample is taken (or the sample source subscribed) at once.</summary>
    public void Start()
    {
        _log.OnStarted();
        if (_nativeTrimLevels is not null)
        {
            _log.OnNativeHeapTrim(_nativeTrimLevels, NativeHeap.Status);
        }

        Manager.Start();
    }

    /// <summary>Gets the health the check reports at a level: the worst status of the levels in effect.</summary>
    public HealthStatus HealthAt(int level) => _health[level];

    /// <summary>Describes a level for the health check.</summary>
    public string Describe(int level) =>
        level == 0
            ? $"Memory pressure level 0 of {Manager.Ladder.Count}: memory is fine"
            : $"Memory pressure level {level} of {Manager.Ladder.Count}: {Manager.Ladder.GetLevel(level)}";

    /// <summary>Stops sampling and completes the manager's observables; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _log.OnStopped(Manager.SeverityLevel);
        Manager.Dispose();
        _compactions.Dispose();
        _subscriptions.Dispose();
    }

    private static LadderLevel ToLadderLevel(MemoryPressureLevelOptions level) =>
        new(level.Condition!)
        {
            ExitCondition = level.ExitCondition,
            EnterAfter = level.EnterAfter,
            LeaveAfter = level.LeaveAfter,
            Name = level.Name,
            RepeatAfterGrowthPercent = level.RepeatAfterGrowthPercent,
        };

    /// <summary>Each level's own status (by default Degraded, Unhealthy at the top), made cumulative: levels below stay in effect.</summary>
    private static HealthStatus[] WorstHealthByLevel(IList<MemoryPressureLevelOptions> levels)
    {
        var health = new HealthStatus[levels.Count + 1];
        health[0] = HealthStatus.Healthy;
        for (var level = 1; level <= levels.Count; level++)
        {
            var own = levels[level - 1].HealthStatus ?? (level == levels.Count ? HealthStatus.Unhealthy : HealthStatus.Degraded);
            health[level] = (HealthStatus)Math.Min((int)own, (int)health[level - 1]);
        }

        return health;
    }

    private void OnStep(LevelChanged step)
    {
        _metrics?.OnStep(step);
        _log.OnStep(step);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnSample(MemorySample sample)
    {
        _log.OnSampleJudging();
        lock (_latestSync)
        {
            _latest = sample;
        }
    }

    /// <summary>After the sample's forced collection: the end of the last step's timing and the sample's trace line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnDispatched(MemorySample sample)
    {
        var level = Manager.SeverityLevel;
        _metrics?.OnDispatched();
        _log.OnSampleJudged(sample, level);
    }

    private void OnError(Exception error)
    {
        _metrics?.OnError(error);
        _log.OnError(error);
    }
}
