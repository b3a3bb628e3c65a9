namespace MemoryPressure.Reactive.Conditions;

/// <summary>Checks thresholds where they are given, so bad input fails at the call, not on the sampling thread.</summary>
internal static class Thresholds
{
    /// <summary>Refuses a percentage outside (0, 100] or NaN.</summary>
    public static double Percent(double percent, string parameterName)
    {
        if (double.IsNaN(percent) || percent <= 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(parameterName, percent, "A percentage must be in (0, 100], and not NaN.");
        }

        return percent;
    }

    /// <summary>Refuses a negative byte count.</summary>
    public static long Bytes(long bytes, string parameterName)
    {
        if (bytes < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, bytes, "A byte count must be 0 or more.");
        }

        return bytes;
    }
}
