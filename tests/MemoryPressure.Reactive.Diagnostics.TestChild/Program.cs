using MemoryPressure.Reactive.Diagnostics;
using MemoryPressure.Reactive.Diagnostics.Analysis;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Writing;

// Commands, one per argument list; each prints the outcome as "Name=value" lines and exits 0:
//   dump <directory>            MemoryDump.DumpMemoryOn, keeping the dump in <directory>.
//   dump-unchecked <directory>  the same pipeline without the up-front check of the diagnostics
//                               switches, so what fails is the runtime's own refusal.
return args switch
{
    ["dump", var directory] => Print(MemoryDump.DumpMemoryOn(TextWriter.Null, Options(directory))),
    ["dump-unchecked", var directory] => Print(await Unchecked().RunAsync(TextWriter.Null, DumpSettings.From(Options(directory), "options"), CancellationToken.None)),
    _ => Usage(),
};

static MemoryDumpOptions Options(string directory) => new() { DumpDirectory = directory, KeepDumpFile = true, MinimumFreeDiskBytes = 0 };

static DumpPipeline Unchecked() =>
    new(new UncheckedWriter(new DiagnosticsDumpWriter()), new ClrMdHeapAnalyser(), DumpGate.Process, TimeProvider.System);

static int Print(MemoryDumpResult result)
{
    Console.WriteLine($"Succeeded={result.Succeeded}");
    Console.WriteLine($"FailureReason={result.FailureReason}");
    Console.WriteLine($"DumpFilePath={result.DumpFilePath}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.Diagnostics.TestChild dump|dump-unchecked <directory>");
    return 2;
}

internal sealed class UncheckedWriter(IDumpWriter writer) : IDumpWriter
{
    public string? WhyUnavailable() => null;

    public Task WriteAsync(string path, CancellationToken cancellationToken) => writer.WriteAsync(path, cancellationToken);
}
