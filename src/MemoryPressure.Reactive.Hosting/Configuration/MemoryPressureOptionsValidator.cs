using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Validates <see cref="MemoryPressureHostingOptions"/>, naming each bad value by its configuration
/// key (<c>MemoryPressure:Levels:1:Condition</c>), whether it came from configuration or from code.
/// </summary>
/// <remarks>
/// Reports what the configuration reader could not read first; a key it already reported, or a
/// key below it, is not reported again. The manager's options are checked by the core
/// (<see cref="MemoryPressureOptions.Validate"/>), the levels here.
/// </remarks>
internal sealed class MemoryPressureOptionsValidator(IMemoryCache? memoryCache = null) : IValidateOptions<MemoryPressureHostingOptions>
{
    private const string Section = MemoryPressureHostingOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, MemoryPressureHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<KeyValuePair<string, string>>(options.ConfigurationErrors);
        void Check(bool valid, string key, string message)
        {
            if (!valid && !errors.Exists(e => Covers(e.Key, key)))
            {
                errors.Add(new(key, message));
            }
        }

        // Each of the manager's options was checked alone by its setter (a refusal of a configured value
        // is among the reader's errors); the rules between them are the core's, the ones the manager's
        // constructor applies, reported under the key of the option that breaks them.
        try
        {
            options.Manager.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            Check(false, $"{Section}:{e.ParamName}", ConfigurationValues.Refusal(e, string.Create(CultureInfo.InvariantCulture, $"{e.ActualValue}")));
        }

        for (var i = 0; i < options.Levels.Count; i++)
        {
            var key = $"{Section}:{nameof(options.Levels)}:{i}";
            var number = i + 1;
            if (options.Levels[i] is not { } level)
            {
                Check(false, key, $"level {number} is null");
                continue;
            }

            Check(level.Condition is not null, $"{key}:{nameof(level.Condition)}", $"level {number} has no condition");
            Check(level.EnterAfter >= TimeSpan.Zero, $"{key}:{nameof(level.EnterAfter)}", $"level {number}: must not be negative, was {level.EnterAfter}");
            Check(level.LeaveAfter >= TimeSpan.Zero, $"{key}:{nameof(level.LeaveAfter)}", $"level {number}: must not be negative, was {level.LeaveAfter}");
            Check(level.HealthStatus is null || Enum.IsDefined(level.HealthStatus.Value), $"{key}:{nameof(level.HealthStatus)}", $"level {number}: expected Healthy, Degraded or Unhealthy, found {level.HealthStatus}");
            if (level.RepeatAfterGrowthPercent is { } growth)
            {
                Check(growth is > 0 and <= 100, $"{key}:{nameof(level.RepeatAfterGrowthPercent)}", string.Create(CultureInfo.InvariantCulture, $"level {number}: the percentage must be in (0, 100], was {growth}"));
            }

            if (level.CompactMemoryCachePercent is { } percent)
            {
                var compactKey = $"{key}:{nameof(level.CompactMemoryCachePercent)}";
                Check(percent is > 0 and <= 100, compactKey, string.Create(CultureInfo.InvariantCulture, $"level {number}: the percentage must be in (0, 100], was {percent}"));
                Check(memoryCache is MemoryCache, compactKey, memoryCache is null
                    ? $"level {number} compacts the IMemoryCache, but none is registered: call services.AddMemoryCache()"
                    : $"level {number} compacts the IMemoryCache, but the one registered is a {memoryCache.GetType()}, and only a MemoryCache can compact");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => $"{e.Key}: {e.Value}"));
    }

    /// <summary>Tells whether an error reported for <paramref name="reported"/> covers <paramref name="key"/>: the same key or one below it.</summary>
    private static bool Covers(string reported, string key) =>
        key.StartsWith(reported, StringComparison.OrdinalIgnoreCase)
        && (key.Length == reported.Length || key[reported.Length] == ':');
}
