namespace MemoryPressure.Reactive.Benchmarks.Ladder;

/// <summary>The 5-level ladder the benchmarks share: headroom under 50, 40, 30, 20, 10% of a 1 GiB limit.</summary>
internal static class LadderOfFive
{
    public static MemoryCondition[] Conditions() =>
    [
        new LocalRelativeValue(50),
        new LocalRelativeValue(40),
        new LocalRelativeValue(30),
        new LocalRelativeValue(20),
        new LocalRelativeValue(10) | new GlobalAbsoluteValue(64 * MemoryUnits.MB),
    ];

    /// <summary>A sample that puts the ladder at a level (0..5).</summary>
    public static MemorySample SampleAtLevel(int level) => new()
    {
        ProcessLimitBytes = MemoryUnits.GB,
        ProcessResidentBytes = MemoryUnits.GB * (45 + (10 * level)) / 100,
        SystemTotalBytes = 16 * MemoryUnits.GB,
        SystemAvailableBytes = 8 * MemoryUnits.GB,
    };
}
