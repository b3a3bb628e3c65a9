namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// A deterministic random walk of levels over a 5-level ladder, computed from the sample's
/// number alone, so any thread can tell which steps a sample must produce without storing them.
/// </summary>
/// <remarks>
/// Sample n is a "jump" on about half the numbers, to a random level 0..5; other samples keep the
/// level of the last jump. So the level changes on about 40% of the samples, by up to 5 steps.
/// </remarks>
internal static class RandomLevels
{
    public const int Count = 5;

    /// <summary>Level n holds when more than 40 + 10n of a 100-byte limit is used.</summary>
    public static SeverityLadder Ladder { get; } = new([.. Enumerable.Range(1, Count).Select(n => new LocalRelativeValue(60 - (10 * n)))]);

    /// <summary>The level after sample <paramref name="index"/>; 0 before the first.</summary>
    public static int LevelAt(long index)
    {
        for (var i = index; i >= 0; i--)
        {
            var bits = Mix((ulong)i);
            if ((bits & 1) == 0)
            {
                return (int)((bits >> 8) % (Count + 1));
            }
        }

        return 0;
    }

    /// <summary>The sample whose level is <see cref="LevelAt"/>; its timestamp carries its number.</summary>
    public static MemorySample Sample(long index) => new()
    {
        Timestamp = new DateTimeOffset(index, TimeSpan.Zero),
        ProcessLimitBytes = 100,
        ProcessResidentBytes = 45 + (10 * LevelAt(index)),
    };

    /// <summary>The first sample after <paramref name="index"/> whose level differs from that after <paramref name="index"/>.</summary>
    public static long NextChange(long index)
    {
        var level = LevelAt(index);
        var next = index + 1;
        while (LevelAt(next) == level)
        {
            next++;
        }

        return next;
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
