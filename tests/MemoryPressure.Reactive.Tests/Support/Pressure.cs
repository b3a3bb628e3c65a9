namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// Samples and a three-level ladder on a 100-byte process limit, so a sample reads as "percent
/// used": level 1 above 70, level 2 above 80, level 3 above 90.
/// </summary>
internal static class Pressure
{
    public const long Limit = 100;

    /// <summary>Level 1: headroom under 30%. Level 2: under 20%. Level 3: under 10%.</summary>
    public static MemoryCondition[] Conditions =>
    [
        new LocalRelativeValue(30),
        new LocalRelativeValue(20),
        new LocalRelativeValue(10),
    ];

    public static SeverityLadder Ladder => new(Conditions);

    /// <summary>Gives the "used" figure that puts a sample at a level (0..3) of <see cref="Ladder"/>.</summary>
    public static long UsedFor(int level) => level switch
    {
        0 => 50,
        1 => 75,
        2 => 85,
        3 => 95,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>A sample at a virtual time (ticks) with <paramref name="used"/> of the 100-byte limit resident.</summary>
    public static MemorySample Sample(long ticks, long used) => new()
    {
        Timestamp = new DateTimeOffset(ticks, TimeSpan.Zero),
        ProcessResidentBytes = used,
        ProcessLimitBytes = Limit,
        SystemTotalBytes = 1000,
        SystemAvailableBytes = 500,
    };

    /// <summary>A sample at a virtual time that puts <see cref="Ladder"/> at <paramref name="level"/>.</summary>
    public static MemorySample AtLevel(long ticks, int level) => Sample(ticks, UsedFor(level));
}
