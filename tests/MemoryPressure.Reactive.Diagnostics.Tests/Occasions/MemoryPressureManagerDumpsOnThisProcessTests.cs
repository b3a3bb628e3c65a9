using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Occasions;

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

        feed.OnNext(new MemorySample { Timestamp = DateTimeOffset.UtcNow, ProcessLimitBytes = 100, ProcessResidentBytes = 90 });

        // Had the dump run on the sampling thread, its report would be written before OnNext returned;
        // a dump on the thread pool takes a second or so to write and read back, and load only makes it longer.
        var writtenWhileJudging = output.Text.Contains("objects", StringComparison.Ordinal);
        var report = output.WaitFor(text => text.Contains("objects", StringComparison.Ordinal), DumpTests.Bound);

        Assert.Equal(1, manager.SeverityLevel);
        Assert.False(writtenWhileJudging, "the report was written before the sample was handed back: the dump ran on the sampling thread");
        Assert.Contains("GC heap:", report, StringComparison.Ordinal);
        Assert.Empty(errors);
    }
}
