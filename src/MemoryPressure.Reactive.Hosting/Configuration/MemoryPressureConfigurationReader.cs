using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Reads one configuration section into <see cref="MemoryPressureHostingOptions"/>, recording each
/// value it cannot read under its full key in <see cref="MemoryPressureHostingOptions.ConfigurationErrors"/>.
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
/// Any other key is an error: a misspelt key would otherwise switch a reaction off unnoticed. So is a
/// <c>Levels</c> key with no level in it; a section without the key gets the default ladder.
/// </para>
/// <para>
/// Each error is a clause without a closing period (<c>expected true or false, found "on"</c>): the
/// options framework joins them with <c>"; "</c> into the exception's message.
/// </para>
/// </remarks>
internal sealed class MemoryPressureConfigurationReader(MemoryPressureHostingOptions options)
{
    private const string Keys =
        $"{nameof(MemoryPressureHostingOptions.CheckInterval)}, {nameof(MemoryPressureHostingOptions.SamplingFloor)}, {nameof(MemoryPressureHostingOptions.SamplingHorizon)}, {nameof(MemoryPressureHostingOptions.MaximumAvailableBytes)}, " +
        $"{nameof(MemoryPressureHostingOptions.HandlerTimeout)}, {nameof(MemoryPressureHostingOptions.FollowLimitChanges)}, {nameof(MemoryPressureHostingOptions.Triggers)} or {nameof(MemoryPressureHostingOptions.Levels)}";

    private const string TriggerKeys =
        $"{nameof(MemoryPressureTriggers.Gen2Collections)}, {nameof(MemoryPressureTriggers.Collections)}, {nameof(MemoryPressureTriggers.PressureStall)}, " +
        $"{nameof(MemoryPressureTriggers.PressureStallTrigger)}, {nameof(MemoryPressureTriggers.UsageThresholds)}, " +
        $"{nameof(MemoryPressureTriggers.PressureLevel)}, {nameof(MemoryPressureTriggers.MemoryEvents)}, {nameof(MemoryPressureTriggers.LimitWrites)}, {nameof(MemoryPressureTriggers.MinimumPressureLevel)} or {nameof(MemoryPressureTriggers.MinimumGap)}";

    private const string LevelKeys =
        $"{nameof(MemoryPressureLevelOptions.Condition)}, {nameof(MemoryPressureLevelOptions.ExitCondition)}, " +
        $"{nameof(MemoryPressureLevelOptions.EnterAfter)}, {nameof(MemoryPressureLevelOptions.LeaveAfter)}, " +
        $"{nameof(MemoryPressureLevelOptions.Name)}, {nameof(MemoryPressureLevelOptions.CompactMemoryCachePercent)}, " +
        $"{nameof(MemoryPressureLevelOptions.HealthStatus)}, {nameof(MemoryPressureLevelOptions.ForceGcCollect)}, {nameof(MemoryPressureLevelOptions.TrimNativeHeap)} or {nameof(MemoryPressureLevelOptions.RepeatAfterGrowthPercent)}";

    private const string TimeSpanExpected = "a time span such as \"250ms\", \"1.5s\", \"5min\", \"1h\" or \"00:00:00.250\"";

    private const string BytesExpected = "a byte count such as 536870912, \"512MiB\", \"512 MB\" or \"1.5GiB\"";

    public void Read(IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
        {
            if (Is(child, nameof(MemoryPressureHostingOptions.CheckInterval)))
            {
                if (Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan) is { } interval)
                {
                    options.CheckInterval = interval;
                }
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.SamplingFloor)))
            {
                options.SamplingFloor = Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan);
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.SamplingHorizon)))
            {
                options.SamplingHorizon = Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan);
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.HandlerTimeout)))
            {
                if (Value<TimeSpan>(child, $"{TimeSpanExpected}, or Infinite", TryParseTimeout) is { } timeout)
                {
                    options.HandlerTimeout = timeout;
                }
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.FollowLimitChanges)))
            {
                options.FollowLimitChanges = Value<bool>(child, "true or false", bool.TryParse) ?? options.FollowLimitChanges;
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.MaximumAvailableBytes)))
            {
                options.MaximumAvailableBytes = Value<long>(child, BytesExpected, ConfigurationValues.TryParseBytes);
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.Triggers)))
            {
                ReadTriggers(child, options.Triggers);
            }
            else if (Is(child, nameof(MemoryPressureHostingOptions.Levels)))
            {
                ReadLevels(child);
            }
            else
            {
                Fail(child.Path, $"unknown key, expected one of {Keys}");
            }
        }
    }

    private void ReadTriggers(IConfigurationSection section, MemoryPressureTriggers triggers)
    {
        foreach (var child in section.GetChildren())
        {
            if (Is(child, nameof(MemoryPressureTriggers.Gen2Collections)))
            {
                triggers.Gen2Collections = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.Gen2Collections;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.Collections)))
            {
                triggers.Collections = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.Collections;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.PressureStall)))
            {
                triggers.PressureStall = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.PressureStall;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.UsageThresholds)))
            {
                triggers.UsageThresholds = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.UsageThresholds;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.PressureLevel)))
            {
                triggers.PressureLevel = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.PressureLevel;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.MemoryEvents)))
            {
                triggers.MemoryEvents = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.MemoryEvents;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.LimitWrites)))
            {
                triggers.LimitWrites = Value<bool>(child, "true or false", bool.TryParse) ?? triggers.LimitWrites;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.MinimumPressureLevel)))
            {
                triggers.MinimumPressureLevel = Value<CgroupPressureLevel>(child, "Medium or Critical", TryParsePressureLevel) ?? triggers.MinimumPressureLevel;
            }
            else if (Is(child, nameof(MemoryPressureTriggers.PressureStallTrigger)))
            {
                Set(child, text => triggers.PressureStallTrigger = text);
            }
            else if (Is(child, nameof(MemoryPressureTriggers.MinimumGap)))
            {
                if (Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan) is { } gap)
                {
                    Set(child, _ => triggers.MinimumGap = gap);
                }
            }
            else
            {
                Fail(child.Path, $"unknown key, expected one of {TriggerKeys}");
            }
        }
    }

    /// <summary>Sets a value whose setter checks it, recording the setter's refusal under the key.</summary>
    private void Set(IConfigurationSection section, Action<string> set)
    {
        try
        {
            set(section.Value ?? string.Empty);
        }
        catch (ArgumentException e)
        {
            Fail(section.Path, ConfigurationValues.Refusal(e, $"\"{section.Value}\""));
        }
    }

    private void ReadLevels(IConfigurationSection levels)
    {
        if (levels.Value is { Length: > 0 } value)
        {
            Fail(levels.Path, $"expected an array of levels, found \"{value}\"");
            return;
        }

        // The JSON provider gives "Levels": [] as the key with an empty value and no children, the
        // same as "Levels": {} or an empty environment variable: present, but no level in it. Left
        // alone it would read as no levels at all, and the default ladder would replace the one meant.
        if (!levels.GetChildren().Any())
        {
            Fail(levels.Path, "expected an array of at least one level, found an empty one (leave the key out for the default ladder)");
            return;
        }

        foreach (var item in levels.GetChildren())
        {
            var number = options.Levels.Count + 1;
            var level = new MemoryPressureLevelOptions();
            options.Levels.Add(level);
            if (item.Value is { } text)
            {
                level.Condition = Condition(item, number, text);
                continue;
            }

            ReadLevel(item, number, level);
        }
    }

    private void ReadLevel(IConfigurationSection item, int number, MemoryPressureLevelOptions level)
    {
        foreach (var child in item.GetChildren())
        {
            if (Is(child, nameof(MemoryPressureLevelOptions.Condition)))
            {
                level.Condition = Condition(child, number, child.Value);
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.ExitCondition)))
            {
                level.ExitCondition = Condition(child, number, child.Value);
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.EnterAfter)))
            {
                level.EnterAfter = Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan, number) ?? level.EnterAfter;
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.LeaveAfter)))
            {
                level.LeaveAfter = Value<TimeSpan>(child, TimeSpanExpected, ConfigurationValues.TryParseTimeSpan, number) ?? level.LeaveAfter;
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.Name)))
            {
                level.Name = child.Value;
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.CompactMemoryCachePercent)))
            {
                level.CompactMemoryCachePercent = Value<double>(child, "a percentage such as 25 or \"25%\"", ConfigurationValues.TryParsePercent, number);
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.HealthStatus)))
            {
                level.HealthStatus = Value<HealthStatus>(child, "Healthy, Degraded or Unhealthy", ConfigurationValues.TryParseHealthStatus, number);
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.ForceGcCollect)))
            {
                level.ForceGcCollect = Value<bool>(child, "true or false", bool.TryParse, number) ?? level.ForceGcCollect;
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.TrimNativeHeap)))
            {
                level.TrimNativeHeap = Value<bool>(child, "true or false", bool.TryParse, number) ?? level.TrimNativeHeap;
            }
            else if (Is(child, nameof(MemoryPressureLevelOptions.RepeatAfterGrowthPercent)))
            {
                level.RepeatAfterGrowthPercent = string.Equals(child.Value?.Trim(), "Never", StringComparison.OrdinalIgnoreCase)
                    ? null
                    : Value<double>(child, "a percentage such as 25 or \"25%\", or Never", ConfigurationValues.TryParsePercent, number) ?? level.RepeatAfterGrowthPercent;
            }
            else
            {
                Fail(child.Path, $"level {number}: unknown key, expected one of {LevelKeys}");
            }
        }
    }

    private MemoryCondition? Condition(IConfigurationSection section, int number, string? text)
    {
        try
        {
            return MemoryCondition.Parse(text ?? string.Empty);
        }
        catch (FormatException e)
        {
            Fail(section.Path, $"level {number}: {ConfigurationValues.Clause(e.Message)}");
            return null;
        }
    }

    private T? Value<T>(IConfigurationSection section, string expected, TryParse<T> tryParse, int? level = null)
        where T : struct
    {
        if (section.Value is { } text && tryParse(text.Trim(), out var value))
        {
            return value;
        }

        var where = level is { } number ? $"level {number}: " : string.Empty;
        var found = section.Value is null ? "a section" : $"\"{section.Value}\"";
        Fail(section.Path, $"{where}expected {expected}, found {found}");
        return null;
    }

    private void Fail(string key, string message) => options.ConfigurationErrors.Add(new(key, message));

    private static bool Is(IConfigurationSection section, string key) => string.Equals(section.Key, key, StringComparison.OrdinalIgnoreCase);

    private static bool TryParseTimeout(string text, out TimeSpan value)
    {
        if (text.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }

        return ConfigurationValues.TryParseTimeSpan(text, out value);
    }

    private static bool TryParsePressureLevel(string text, out CgroupPressureLevel value) =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);

    private delegate bool TryParse<T>(string text, out T value);
}
