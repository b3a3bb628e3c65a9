namespace MemoryPressure.Reactive.Conditions;

/// <summary>What <see cref="All"/> and <see cref="Any"/> share: a checked copy of their conditions, their usage thresholds, and a hash over them.</summary>
internal static class Composite
{
    public static MemoryCondition[] Copy(MemoryCondition[] conditions, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(conditions, parameterName);
        if (Array.IndexOf(conditions, null) is var index and >= 0)
        {
            throw new ArgumentNullException(parameterName, $"Condition {index} is null.");
        }

        return (MemoryCondition[])conditions.Clone();
    }

    /// <summary>A composition can only change its truth where one of its parts does: the thresholds of them all.</summary>
    public static UsageParts AddUsageThresholds(MemoryCondition[] conditions, UsageThresholds thresholds)
    {
        var parts = UsageParts.None;
        foreach (var condition in conditions)
        {
            parts |= condition.AddUsageThresholds(thresholds);
        }

        return parts;
    }

    public static int Hash(Type type, MemoryCondition[] conditions)
    {
        var hash = new HashCode();
        hash.Add(type);
        foreach (var condition in conditions)
        {
            hash.Add(condition);
        }

        return hash.ToHashCode();
    }
}
