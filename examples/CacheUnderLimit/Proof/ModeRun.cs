using MemoryPressure.Reactive;

namespace CacheUnderLimit.Proof;

/// <summary>What one child reported, how it ended, and the figures the table shows.</summary>
public sealed class ModeRun
{
    /// <summary>Initializes a run from what the child reported and how it ended.</summary>
    public ModeRun(CacheMode mode, string limitKind, long limitBytes, IReadOnlyList<ChildEvent> events, ChildOutcome outcome, string outcomeDetail)
    {
        Mode = mode;
        LimitKind = limitKind;
        LimitBytes = limitBytes;
        Readings = [.. events.OfType<ChildReading>()];
        LevelChanges = [.. events.OfType<ChildLevelChanged>()];
        Started = events.OfType<ChildStarted>().FirstOrDefault();
        Outcome = outcome;
        OutcomeDetail = outcomeDetail;
    }

    /// <summary>Gets the mode the child ran.</summary>
    public CacheMode Mode { get; }

    /// <summary>Gets the kind of limit the child ran under, such as <c>cgroup v1 memory limit</c>.</summary>
    public string LimitKind { get; }

    /// <summary>Gets the limit the child ran under.</summary>
    public long LimitBytes { get; }

    /// <summary>Gets what the child's probe saw at start, if it got that far.</summary>
    public ChildStarted? Started { get; }

    /// <summary>Gets the child's readings, one every 100 ms.</summary>
    public IReadOnlyList<ChildReading> Readings { get; }

    /// <summary>Gets the level steps of mode (c); empty for the others.</summary>
    public IReadOnlyList<ChildLevelChanged> LevelChanges { get; }

    /// <summary>Gets how the child ended.</summary>
    public ChildOutcome Outcome { get; }

    /// <summary>Gets how the child ended, in words, for the table.</summary>
    public string OutcomeDetail { get; }

    /// <summary>Gets whether the child ran to the end.</summary>
    public bool Survived => Outcome == ChildOutcome.Survived;

    /// <summary>Gets the highest resident set the child reported.</summary>
    public long PeakResidentBytes => Readings.Count == 0 ? 0 : Readings.Max(r => r.ResidentBytes);

    /// <summary>Gets the most the child's memory cgroup was charged; 0 when the limit was not a cgroup.</summary>
    public long PeakCgroupUsageBytes => Readings.Count == 0 ? 0 : Readings.Max(r => r.CgroupUsageBytes);

    /// <summary>Gets the entries cached at the end: none when the child died, however many it had.</summary>
    public int EntriesKept => Survived && Readings.Count > 0 ? Readings[^1].Entries : 0;

    /// <summary>Gets the share of requests answered from the cache over the child's life.</summary>
    public double HitRatio => Readings.Count == 0 || Readings[^1] is { Hits: 0, Misses: 0 }
        ? 0
        : (double)Readings[^1].Hits / (Readings[^1].Hits + Readings[^1].Misses);

    /// <summary>
    /// Gets the time from the first reading past the threshold (level 1 of <see cref="ProofLadder"/>)
    /// to the first reading after the cache had trimmed; <see langword="null"/> when either never happened.
    /// </summary>
    public TimeSpan? ThresholdToFirstTrim
    {
        get
        {
            var threshold = ProofLadder.Create().GetLevel(1).Condition;
            var crossed = Readings.FirstOrDefault(r => threshold.CanFire(new MemorySample
            {
                ProcessResidentBytes = r.ResidentBytes,
                ProcessLimitBytes = Started?.LimitBytes ?? LimitBytes,
            }));
            var trimmed = Readings.FirstOrDefault(r => r.Trimmed > 0);
            return crossed is null || trimmed is null ? null : TimeSpan.FromSeconds(trimmed.Seconds - crossed.Seconds);
        }
    }
}
