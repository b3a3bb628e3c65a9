using System.Diagnostics;
using MemoryPressure.Reactive;

namespace MemoryPressure.Demo;

/// <summary>
/// What the manager reported, kept for the views: the latest sample, the level, each transition
/// with the condition that held, and the counts for the summary. The manager writes to it on its
/// thread; the views read copies on theirs.
/// </summary>
/// <param name="ladder">The ladder the manager walks.</param>
/// <param name="budgetBytes">The budget its conditions measure against.</param>
/// <param name="atStart">A sample taken before the demo set its budget: it carries the process's real limit.</param>
internal sealed class DemoJournal(SeverityLadder ladder, long budgetBytes, MemorySample atStart)
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<JournalLine> _lines = [];
    private readonly int[] _entered = new int[ladder.Count + 1];
    private readonly int[] _left = new int[ladder.Count + 1];
    private MemorySample _latest;
    private long _peakResidentBytes;
    private int _level;

    /// <summary>Gets the ladder the manager walks.</summary>
    public SeverityLadder Ladder => ladder;

    /// <summary>Gets the budget the ladder's conditions measure against.</summary>
    public long BudgetBytes => budgetBytes;

    /// <summary>Gets the real limit of the process: its cgroup's, the GC's or the machine's memory.</summary>
    public (long Bytes, MemoryLimitSource Source) Limit => (atStart.ProcessLimitBytes, atStart.ProcessLimitSource);

    /// <summary>Gets the time since the demo started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Keeps a sample the manager judged.</summary>
    public void Record(MemorySample sample)
    {
        lock (_gate)
        {
            _latest = sample;
            _peakResidentBytes = Math.Max(_peakResidentBytes, sample.ProcessResidentBytes);
        }
    }

    /// <summary>Keeps a step of the ladder, with the condition that made it.</summary>
    public void Record(LevelChanged step)
    {
        var level = ladder.GetLevel(step.Level);
        var text = step.IsEntering
            ? $"entered level {step.Level} ({level.Name}): {level.Condition} holds at {Mib(step.Sample.ProcessResidentBytes)} resident; {Describe(step.Sample.BindingLimit)}"
            : $"left level {step.Level} ({level.Name}): {level.Condition} no longer holds at {Mib(step.Sample.ProcessResidentBytes)}";
        lock (_gate)
        {
            _level = step.To;
            (step.IsEntering ? _entered : _left)[step.Level]++;
            _lines.Add(new JournalLine(_clock.Elapsed, step.IsEntering ? step.Level : 0, text));
        }
    }

    /// <summary>Keeps an error a handler or the probe reported.</summary>
    public void Record(Exception error)
    {
        lock (_gate)
        {
            _lines.Add(new JournalLine(_clock.Elapsed, -1, $"error: {error.Message}"));
        }
    }

    /// <summary>Gets the latest sample and the current level.</summary>
    public (MemorySample Sample, int Level) Current()
    {
        lock (_gate)
        {
            return (_latest, _level);
        }
    }

    /// <summary>Gets all of it at one moment: the latest sample, the level, the counts and the transitions.</summary>
    public (MemorySample Sample, int Level, DemoSummary Summary, IReadOnlyList<JournalLine> Lines) Snapshot(DemoCache cache)
    {
        lock (_gate)
        {
            return (_latest, _level, Summarize(cache), Lines());
        }
    }

    /// <summary>Gets the transitions from <paramref name="first"/> on.</summary>
    public IReadOnlyList<JournalLine> Lines(int first = 0)
    {
        lock (_gate)
        {
            return _lines[Math.Min(first, _lines.Count)..];
        }
    }

    /// <summary>Sums up the run.</summary>
    public DemoSummary Summarize(DemoCache cache)
    {
        lock (_gate)
        {
            var levels = Enumerable.Range(1, ladder.Count)
                .Select(l => new LevelCount(l, ladder.GetLevel(l).Name ?? "", ladder.GetLevel(l).Condition.ToString()!, _entered[l], _left[l]))
                .ToList();
            return new DemoSummary(_clock.Elapsed, levels, _peakResidentBytes, budgetBytes, cache.Trimmed);
        }
    }

    /// <summary>Formats bytes as mebibytes, or gibibytes from 10 GiB on.</summary>
    public static string Mib(long bytes) => bytes < 10L << 30
        ? FormattableString.Invariant($"{bytes / 1048576.0:F0} MiB")
        : FormattableString.Invariant($"{bytes / 1073741824.0:F1} GiB");

    /// <summary>Describes the limit with the least room left: which it is and how much room.</summary>
    public static string Describe(MemoryHeadroom binding) =>
        $"{Describe(binding.Limit)} is the tightest, {Mib(binding.HeadroomBytes)} of {Mib(binding.LimitBytes)} left";

    /// <summary>Names a kind of limit.</summary>
    public static string Describe(MemoryLimitSource source) => source switch
    {
        MemoryLimitSource.Explicit => "the budget",
        MemoryLimitSource.Cgroup => "the cgroup's limit",
        MemoryLimitSource.GcHeapHardLimit => "the GC heap hard limit",
        MemoryLimitSource.PhysicalMemory => "physical memory",
        _ => source.ToString(),
    };
}
