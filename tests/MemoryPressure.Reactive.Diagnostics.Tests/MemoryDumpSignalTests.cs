using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using MemoryPressure.Reactive.Diagnostics.Occasions;

namespace MemoryPressure.Reactive.Diagnostics.Tests;

/// <summary>The test process sends itself <c>SIGUSR1</c> and reads what the installed handler writes.</summary>
[Collection(DumpTests.Name)]
public sealed class MemoryDumpSignalTests : IDisposable
{
    private static readonly PosixSignal Usr1 = (PosixSignal)10;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void SkipUnlessLinux() =>
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && File.Exists("/bin/kill"), "SIGUSR1 is 10 on Linux x64, sent with /bin/kill");

    private static void SendUsr1ToThisProcess()
    {
        using var kill = Process.Start("/bin/kill", ["-USR1", Environment.ProcessId.ToString()]);
        Assert.True(kill.WaitForExit(DumpTests.Bound), "kill did not exit");
        Assert.Equal(0, kill.ExitCode);
    }

    [SkippableFact]
    public void The_signal_writes_a_breakdown_of_this_process_to_the_output()
    {
        SkipUnlessLinux();
        using var output = new FlushSignallingWriter();

        using (MemoryDump.InstallDumpMemoryOn(Usr1, output, new MemoryDumpOptions { TopTypes = 5, DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0 }))
        {
            SendUsr1ToThisProcess();
            output.WaitFor(text => text.Contains("Memory dump at", StringComparison.Ordinal), DumpTests.Bound);
        }

        var lines = output.Text.Split(Environment.NewLine);
        Assert.Equal($"Memory dump at", lines[0][.."Memory dump at".Length]);
        Assert.DoesNotContain("failed", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  process: resident ", lines[1], StringComparison.Ordinal);
        Assert.Equal(5, lines.SkipWhile(line => !line.EndsWith("  type", StringComparison.Ordinal)).Skip(1).TakeWhile(line => !line.Contains("more types", StringComparison.Ordinal)).Count());
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public void Checks_its_arguments_before_installing()
    {
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => MemoryDump.InstallDumpMemoryOn(Usr1, null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryDump.InstallDumpMemoryOn(Usr1, TextWriter.Null, new MemoryDumpOptions { MaximumDumps = 0 })).ParamName);
    }

    [SkippableFact]
    public void A_signal_that_cannot_be_handled_is_refused_naming_the_parameter()
    {
        SkipUnlessLinux();

        var e = Assert.Throws<ArgumentException>(() => MemoryDump.InstallDumpMemoryOn((PosixSignal)9, TextWriter.Null));

        Assert.Equal("signal", e.ParamName);
    }

    [SkippableFact]
    public void A_signal_sooner_than_the_minimum_interval_is_skipped_with_a_line_saying_why()
    {
        SkipUnlessLinux();
        using var output = new FlushSignallingWriter();
        var writer = new FakeDumpWriter();
        var pipeline = new DumpPipeline(writer, new FakeHeapAnalyser(), new DumpGate(), TimeProvider.System);
        var settings = DumpSettings.From(new MemoryDumpOptions { DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0, MinimumInterval = TimeSpan.FromHours(1) }, "options");

        using (SignalDumps.Install(Usr1, output, settings, pipeline, DefaultScheduler.Instance))
        {
            SendUsr1ToThisProcess();
            output.WaitFor(text => text.Contains("Memory dump at", StringComparison.Ordinal), DumpTests.Bound);
            SendUsr1ToThisProcess();
            output.WaitFor(text => text.Contains("skipped", StringComparison.Ordinal), DumpTests.Bound);
        }

        Assert.Single(writer.Files);
        Assert.Contains("Memory dump on signal 10 skipped: the last dump started ", output.Text, StringComparison.Ordinal);
    }
}
