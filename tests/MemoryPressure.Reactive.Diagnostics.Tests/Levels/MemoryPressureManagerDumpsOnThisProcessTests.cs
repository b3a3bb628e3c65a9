using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Levels;

/// <summary>A real dump of the test process, on a real manager entering a level.</summary>
[Collection(DumpTests.Name)]
public class MemoryPressureManagerDumpsOnThisProcessTests
{
    [SkippableFact]
    public void Entering_the_level_writes_a_breakdown_off_the_sampling_thread()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the dump tests run on Linux");
        using var output = new FlushSignallingWriter();
        var feed = new System.Reactive.Subjects.Subject<MemorySample>();
        using var manager = new MemoryPressureManager(new SeverityLadder(new LocalRelativeValue(20)), new MemoryPressureOptions { Samples = feed });
        using var installed = manager.InstallDumpMemoryOn(1, output, new MemoryDumpOptions { TopTypes = 5 });
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);

        var pushed = System.Diagnostics.Stopwatch.StartNew();
        feed.OnNext(new MemorySample { Timestamp = DateTimeOffset.UtcNow, ProcessLimitBytes = 100, ProcessResidentBytes = 90 });
        var handedBack = pushed.Elapsed;
        var report = output.WaitFor(text => text.Contains("objects", StringComparison.Ordinal), DumpTests.Bound);

        Assert.Equal(1, manager.SeverityLevel);
        Assert.True(handedBack < TimeSpan.FromSeconds(1), $"the sample took {handedBack} to judge: the dump ran on the sampling thread");
        Assert.Contains("GC heap:", report, StringComparison.Ordinal);
        Assert.Empty(errors);
    }
}
