using MemoryPressure.Reactive;
using MemoryPressure.Reactive.Testing;
using Xunit;

namespace MemoryPressure.Reactive.Testing.Tests;

public class ReadmeExampleTests
{
    [Fact]
    public void The_cache_is_cleared_on_level_2_and_a_reminder_comes_every_minute_at_level_1()
    {
        using var simulator = new MemoryPressureSimulator(new SeverityLadder(new LocalRelativeValue(30), new LocalRelativeValue(10)));
        var cache = new List<string> { "a", "b" };
        var reminders = 0;
        simulator.Manager.CleanupOnEntered(2, cache, static c => c.Clear());
        simulator.Manager.Remaining(1, TimeSpan.FromMinutes(1)).Subscribe(_ => reminders++);

        simulator.Push(TestSamples.Process(residentBytes: 80 * MemoryUnits.MB, limitBytes: 100 * MemoryUnits.MB));
        Assert.Equal(1, simulator.Manager.SeverityLevel);
        Assert.Equal(2, cache.Count);

        for (var minute = 1; minute <= 3; minute++)
        {
            simulator.AdvanceBy(TimeSpan.FromMinutes(1));
            simulator.Push(TestSamples.Process(residentBytes: 80 * MemoryUnits.MB, limitBytes: 100 * MemoryUnits.MB));
        }

        Assert.Equal(3, reminders);

        simulator.DriveTo(2);
        Assert.Empty(cache);
    }
}
