using System.Reactive.Subjects;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Occasions;

/// <summary>The README's example of the Diagnostics package, kept here so it compiles and runs.</summary>
[Collection(DumpTests.Name)]
public class ReadmeExampleTests
{
    [SkippableFact]
    public void Dump_now_on_a_signal_and_on_a_level()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the dump tests run on Linux");
        using var writer = new StringWriter();
        var output = TextWriter.Synchronized(writer);
        using var feed = new Subject<MemorySample>();
        using var manager = new MemoryPressureManager(
            new SeverityLadder(new LocalRelativeValue(30), new LocalRelativeValue(20), new LocalRelativeValue(10)),
            new MemoryPressureOptions { Samples = feed });

        // Once, now: the report goes to the writer, the same data comes back.
        MemoryDumpResult result = MemoryDump.DumpMemoryOn(output, new MemoryDumpOptions { TopTypes = 20 });

        // On a signal (kill -USR1 <pid>; SIGUSR1 is 10 on Linux x64), and on entering level 3.
        using var onSignal = MemoryDump.InstallDumpMemoryOn((PosixSignal)10, output, new MemoryDumpOptions { MinimumInterval = TimeSpan.FromMinutes(5) });
        using var onLevel = manager.InstallDumpMemoryOn(3, output, new MemoryDumpOptions { MaximumDumps = 3 });

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(20, result.Types.Count);
        Assert.Contains("GC heap:", writer.ToString(), StringComparison.Ordinal);
    }
}
