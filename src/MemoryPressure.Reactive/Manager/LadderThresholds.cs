using System.Globalization;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Conditions;
using MemoryPressure.Reactive.Triggers;

namespace MemoryPressure.Reactive.Manager;

/// <summary>
/// The usage thresholds at which a ladder's levels may change, derived from its conditions through
/// <see cref="MemoryCondition.AddUsageThresholds"/>: the points where a <see cref="LocalAbsoluteValue"/>
/// or <see cref="LocalRelativeValue"/> flips. The kernel's usage-threshold signal arms them.
/// </summary>
/// <remarks>
/// <para>
/// Both compare the resident set R with the process limit L: <c>LocalAbsolute &lt; b</c> holds when
/// R &gt; L - b, <c>LocalRelative &lt; p%</c> when R &gt; L (1 - p/100). A composition with
/// <see cref="All"/>, <see cref="Any"/> and <see cref="Not"/> can only change its truth where one of
/// its parts does, so the thresholds of a level are those of every local part of its condition and
/// exit condition, whatever the composition; the kernel notifies a crossing in either direction.
/// <see cref="GlobalAbsoluteValue"/>, <see cref="GlobalRelativeValue"/> and custom conditions depend
/// on what no usage figure shows (the machine's memory, the application's state): a level with such
/// a part is caught through it only by polling and the other sources.
/// </para>
/// <para>
/// A threshold at or below zero means the part holds at any usage and needs no notification. The
/// kernel watches the cgroup's usage U, which counts page cache and every process of the cgroup,
/// while the parts watch R: each threshold is moved by U - R as last sampled.
/// </para>
/// </remarks>
internal sealed class LadderThresholds : IUsageThresholds
{
    private const long MiB = 1L << 20;

    private readonly long[] _bytes;
    private readonly double[] _percents;
    private readonly Coverage[] _coverage;

    private LadderThresholds(long[] bytes, double[] percents, Coverage[] coverage)
    {
        _bytes = bytes;
        _percents = percents;
        _coverage = coverage;
    }

    /// <summary>How far a level's changes are seen by usage thresholds.</summary>
    public enum Coverage
    {
        /// <summary>Every part of the level's conditions is local (or there is none): each of its changes crosses a threshold.</summary>
        Full,

        /// <summary>Some parts are local, others not: changes through the others are caught by polling.</summary>
        Partial,

        /// <summary>No part is local: the level is caught by polling and the other sources only.</summary>
        None,
    }

    /// <summary>Gets the most thresholds <see cref="Place"/> can write.</summary>
    public int Capacity => _bytes.Length + _percents.Length;

    /// <summary>Gets how far each level is covered: index 0 is level 1.</summary>
    public IReadOnlyList<Coverage> Levels => _coverage;

    public static LadderThresholds Derive(SeverityLadder ladder)
    {
        var thresholds = new UsageThresholds();
        var coverage = new Coverage[ladder.Count];
        for (var i = 0; i < ladder.Count; i++)
        {
            var level = ladder.Levels[i];
            var parts = level.Condition.AddUsageThresholds(thresholds);
            if (level.ExitCondition is { } exit)
            {
                parts |= exit.AddUsageThresholds(thresholds);
            }

            coverage[i] = !parts.HasFlag(UsageParts.Other) ? Coverage.Full
                : parts.HasFlag(UsageParts.Usage) ? Coverage.Partial
                : Coverage.None;
        }

        return new LadderThresholds([.. thresholds.HeadroomBytes], [.. thresholds.HeadroomPercents], coverage);
    }

    /// <summary>Writes the thresholds for a limit, sorted and distinct, into <paramref name="destination"/>; allocates nothing.</summary>
    /// <param name="limitBytes">The sample's <see cref="MemorySample.ProcessLimitBytes"/>; none when 0 or less (the local parts never hold).</param>
    /// <param name="offsetBytes">What the watched usage counts beyond the resident set (U - R).</param>
    /// <param name="destination">At least <see cref="Capacity"/> long.</param>
    /// <returns>The number written.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Place(long limitBytes, long offsetBytes, Span<long> destination)
    {
        if (limitBytes <= 0)
        {
            return 0;
        }

        var count = 0;
        foreach (var bytes in _bytes)
        {
            count = Add(destination, count, limitBytes - bytes, offsetBytes);
        }

        foreach (var percent in _percents)
        {
            count = Add(destination, count, (long)Math.Floor(limitBytes - (limitBytes * percent / 100)), offsetBytes);
        }

        // An insertion sort of a handful of values: a sorting helper of the framework's would be
        // compiled again at its thirtieth call, in the middle of a rest.
        for (var i = 1; i < count; i++)
        {
            var value = destination[i];
            var j = i - 1;
            for (; j >= 0 && destination[j] > value; j--)
            {
                destination[j + 1] = destination[j];
            }

            destination[j + 1] = value;
        }

        var distinct = 0;
        for (var i = 0; i < count; i++)
        {
            if (distinct == 0 || destination[i] != destination[distinct - 1])
            {
                destination[distinct++] = destination[i];
            }
        }

        return distinct;
    }

    /// <summary>Describes thresholds and the levels they do not fully cover, for a status.</summary>
    public string Describe(ReadOnlySpan<long> thresholds, string usagePath)
    {
        var text = thresholds.IsEmpty
            ? $"no threshold yet on {usagePath}: waiting for a sample with a known process limit"
            : $"{thresholds.Length} threshold{(thresholds.Length == 1 ? "" : "s")} on {usagePath}: {string.Join(", ", thresholds.ToArray().Select(FormatBytes))}";
        var partial = LevelsWith(Coverage.Partial);
        var none = LevelsWith(Coverage.None);
        return text
            + (partial.Length > 0 ? $"; level {partial} partly by polling" : "")
            + (none.Length > 0 ? $"; level {none} by polling only" : "");
    }

    private string LevelsWith(Coverage coverage) =>
        string.Join(", ", _coverage.Select((c, i) => (c, i)).Where(x => x.c == coverage).Select(x => x.i + 1));

    private static string FormatBytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)MiB:0.#} MiB");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Add(Span<long> destination, int count, long threshold, long offsetBytes)
    {
        // A part that holds at any usage, or only beyond any number, has nothing to cross.
        if (threshold <= 0 || threshold > long.MaxValue - Math.Max(offsetBytes, 0) || threshold + offsetBytes <= 0)
        {
            return count;
        }

        destination[count] = threshold + offsetBytes;
        return count + 1;
    }
}
