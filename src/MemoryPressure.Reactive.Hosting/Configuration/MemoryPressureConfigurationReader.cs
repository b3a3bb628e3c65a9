using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Reads one configuration section into <see cref="MemoryPressureHostingOptions"/>, recording each
/// value it cannot read, or whose setter refuses it, under its full key in
/// <see cref="MemoryPressureHostingOptions.ConfigurationErrors"/>.
/// </summary>
/// <remarks>
/// <para>Schema (keys are case-insensitive, as everywhere in configuration):</para>
/// <code>
/// CheckInterval          a time span, "250ms", "1.5s", "5min", "1h" or "00:00:01"
/// SamplingFloor, SamplingHorizon  a time span, at most CheckInterval
/// MaximumAvailableBytes  a byte count, 536870912, "512MiB", "512 MB" or "1.5GiB" (units B, KB, MB, GB, KiB, MiB, GiB: 1024^n)
/// HandlerTimeout         a time span, or "Infinite" for none
/// FollowLimitChanges     true or false
/// Triggers               an object with the keys
///   Gen2Collections, Collections, PressureStall, UsageThresholds, PressureLevel, MemoryEvents, LimitWrites   true or false
///   PressureStallTrigger              a PSI trigger, "some 150000 1000000"
///   MinimumPressureLevel              Medium or Critical
///   MinimumGap                        a time span
/// Levels                 an array; each item the condition text, or an object with the keys
///   Condition, ExitCondition          condition text (MemoryCondition.Parse)
///   EnterAfter, LeaveAfter            a time span
///   Name                              text
///   CompactMemoryCachePercent         a percentage, 25 or "25%"
///   HealthStatus                      Healthy, Degraded or Unhealthy
///   ForceGcCollect, TrimNativeHeap    true or false
///   RepeatAfterGrowthPercent          a percentage, 25 or "25%", or "Never"
/// </code>
/// <para>
/// The keys are three tables (<see cref="ConfigurationTable{T}"/>), one per object: a new option is one row.
/// The section's own keys but <c>Levels</c> set <see cref="MemoryPressureHostingOptions.Manager"/>, whose
/// setters check each value. Any other key is an error: a misspelt key would otherwise switch a reaction off unnoticed. So is a
/// <c>Levels</c> key with no level in it; a section without the key gets the default ladder.
/// </para>
/// <para>
/// Each error is a clause without a closing period (<c>expected true or false, found "on"</c>): the
/// options framework joins them with <c>"; "</c> into the exception's message.
/// </para>
/// </remarks>
internal static class MemoryPressureConfigurationReader
{
    private static readonly ValueParser<TimeSpan> Time = new("a time span such as \"250ms\", \"1.5s\", \"5min\", \"1h\" or \"00:00:00.250\"", ConfigurationValues.TryParseTimeSpan);
    private static readonly ValueParser<TimeSpan> TimeOrInfinite = new($"{Time.Expected}, or Infinite", ConfigurationValues.TryParseTimeout);
    private static readonly ValueParser<long> Bytes = new("a byte count such as 536870912, \"512MiB\", \"512 MB\" or \"1.5GiB\"", ConfigurationValues.TryParseBytes);
    private static readonly ValueParser<bool> Flag = new("true or false", bool.TryParse);
    private static readonly ValueParser<CgroupPressureLevel> PressureLevel = new("Medium or Critical", ConfigurationValues.TryParsePressureLevel);
    private static readonly ValueParser<double> Percent = new("a percentage such as 25 or \"25%\"", ConfigurationValues.TryParsePercent);
    private static readonly ValueParser<double?> PercentOrNever = new($"{Percent.Expected}, or Never", ConfigurationValues.TryParseRepeat);
    private static readonly ValueParser<HealthStatus> Health = new("Healthy, Degraded or Unhealthy", ConfigurationValues.TryParseHealthStatus);

    private static readonly ConfigurationTable<MemoryPressureTriggers> TriggerKeys = new ConfigurationTable<MemoryPressureTriggers>()
        .Value(nameof(MemoryPressureTriggers.Gen2Collections), Flag, static (t, v) => t.Gen2Collections = v)
        .Value(nameof(MemoryPressureTriggers.Collections), Flag, static (t, v) => t.Collections = v)
        .Value(nameof(MemoryPressureTriggers.PressureStall), Flag, static (t, v) => t.PressureStall = v)
        .Text(nameof(MemoryPressureTriggers.PressureStallTrigger), static (t, text) => t.PressureStallTrigger = text ?? string.Empty)
        .Value(nameof(MemoryPressureTriggers.UsageThresholds), Flag, static (t, v) => t.UsageThresholds = v)
        .Value(nameof(MemoryPressureTriggers.PressureLevel), Flag, static (t, v) => t.PressureLevel = v)
        .Value(nameof(MemoryPressureTriggers.MemoryEvents), Flag, static (t, v) => t.MemoryEvents = v)
        .Value(nameof(MemoryPressureTriggers.LimitWrites), Flag, static (t, v) => t.LimitWrites = v)
        .Value(nameof(MemoryPressureTriggers.MinimumPressureLevel), PressureLevel, static (t, v) => t.MinimumPressureLevel = v)
        .Value(nameof(MemoryPressureTriggers.MinimumGap), Time, static (t, v) => t.MinimumGap = v);

    private static readonly ConfigurationTable<MemoryPressureLevelOptions> LevelKeys = new ConfigurationTable<MemoryPressureLevelOptions>()
        .Condition(nameof(MemoryPressureLevelOptions.Condition), static (l, c) => l.Condition = c)
        .Condition(nameof(MemoryPressureLevelOptions.ExitCondition), static (l, c) => l.ExitCondition = c)
        .Value(nameof(MemoryPressureLevelOptions.EnterAfter), Time, static (l, v) => l.EnterAfter = v)
        .Value(nameof(MemoryPressureLevelOptions.LeaveAfter), Time, static (l, v) => l.LeaveAfter = v)
        .Text(nameof(MemoryPressureLevelOptions.Name), static (l, text) => l.Name = text)
        .Value(nameof(MemoryPressureLevelOptions.CompactMemoryCachePercent), Percent, static (l, v) => l.CompactMemoryCachePercent = v)
        .Value(nameof(MemoryPressureLevelOptions.HealthStatus), Health, static (l, v) => l.HealthStatus = v)
        .Value(nameof(MemoryPressureLevelOptions.ForceGcCollect), Flag, static (l, v) => l.ForceGcCollect = v)
        .Value(nameof(MemoryPressureLevelOptions.TrimNativeHeap), Flag, static (l, v) => l.TrimNativeHeap = v)
        .Value(nameof(MemoryPressureLevelOptions.RepeatAfterGrowthPercent), PercentOrNever, static (l, v) => l.RepeatAfterGrowthPercent = v);

    private static readonly ConfigurationTable<MemoryPressureHostingOptions> SectionKeys = new ConfigurationTable<MemoryPressureHostingOptions>()
        .Value(nameof(MemoryPressureOptions.CheckInterval), Time, static (o, v) => o.Manager.CheckInterval = v)
        .Value(nameof(MemoryPressureOptions.SamplingFloor), Time, static (o, v) => o.Manager.SamplingFloor = v)
        .Value(nameof(MemoryPressureOptions.SamplingHorizon), Time, static (o, v) => o.Manager.SamplingHorizon = v)
        .Value(nameof(MemoryPressureOptions.MaximumAvailableBytes), Bytes, static (o, v) => o.Manager.MaximumAvailableBytes = v)
        .Value(nameof(MemoryPressureOptions.HandlerTimeout), TimeOrInfinite, static (o, v) => o.Manager.HandlerTimeout = v)
        .Value(nameof(MemoryPressureOptions.FollowLimitChanges), Flag, static (o, v) => o.Manager.FollowLimitChanges = v)
        .Key(nameof(MemoryPressureOptions.Triggers), static (section, o, errors, where) => TriggerKeys.Read(section, o.Manager.Triggers, errors, where))
        .Key(nameof(MemoryPressureHostingOptions.Levels), static (section, o, errors, _) => ReadLevels(section, o, errors));

    /// <summary>Reads <paramref name="section"/> into <paramref name="options"/>, its errors into <see cref="MemoryPressureHostingOptions.ConfigurationErrors"/>.</summary>
    public static void Read(IConfigurationSection section, MemoryPressureHostingOptions options) =>
        SectionKeys.Read(section, options, options.ConfigurationErrors, string.Empty);

    private static void ReadLevels(IConfigurationSection levels, MemoryPressureHostingOptions options, List<KeyValuePair<string, string>> errors)
    {
        if (levels.Value is { Length: > 0 } value)
        {
            errors.Add(new(levels.Path, $"expected an array of levels, found \"{value}\""));
            return;
        }

        // The JSON provider gives "Levels": [] as the key with an empty value and no children, the
        // same as "Levels": {} or an empty environment variable: present, but no level in it. Left
        // alone it would read as no levels at all, and the default ladder would replace the one meant.
        if (!levels.GetChildren().Any())
        {
            errors.Add(new(levels.Path, "expected an array of at least one level, found an empty one (leave the key out for the default ladder)"));
            return;
        }

        foreach (var item in levels.GetChildren())
        {
            var level = new MemoryPressureLevelOptions();
            options.Levels.Add(level);
            var where = $"level {options.Levels.Count}: ";
            if (item.Value is null)
            {
                LevelKeys.Read(item, level, errors, where);
            }
            else
            {
                // A level given as its condition text alone: the item is read as its Condition key.
                LevelKeys.Find(nameof(MemoryPressureLevelOptions.Condition))!(item, level, errors, where);
            }
        }
    }
}
