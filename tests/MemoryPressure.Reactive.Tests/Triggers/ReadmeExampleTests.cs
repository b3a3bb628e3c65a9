namespace MemoryPressure.Reactive.Tests.Triggers;

/// <summary>The README's example of push triggers, kept here so it compiles and runs.</summary>
[Collection(Support.SerialTests.Name)]
public class ReadmeExampleTests
{
    [Fact]
    public void A_manager_lists_its_trigger_sources_and_what_each_watches_or_why_not()
    {
        var ladder = new SeverityLadder(new LocalRelativeValue(20), new LocalRelativeValue(10));

        using var manager = new MemoryPressureManager(ladder, new MemoryPressureOptions
        {
            Triggers = new MemoryPressureTriggers { PressureStallTrigger = "some 100000 2000000", MinimumGap = TimeSpan.FromMilliseconds(20) },
        });
        foreach (var trigger in manager.Triggers)
        {
            Console.WriteLine(trigger); // e.g. PressureStall: Active (...memory.pressure), 0 signals
        }

        Assert.Equal(Enum.GetValues<TriggerSource>(), manager.Triggers.Select(t => t.Source));
        Assert.All(manager.Triggers, t => Assert.False(string.IsNullOrEmpty(t.Detail)));
        Assert.Equal(TriggerState.Active, manager.Triggers.Single(t => t.Source == TriggerSource.Gen2Collection).State);
    }
}
