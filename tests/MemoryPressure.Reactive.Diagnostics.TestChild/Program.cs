using MemoryPressure.Reactive.Diagnostics;

// One command; it prints the outcome and the assemblies it loaded as "Name=value" lines and exits 0:
//   dump <directory>  MemoryDump.DumpMemoryOn, keeping the dump in <directory>.
return args switch
{
    ["dump", var directory] => Print(MemoryDump.DumpMemoryOn(TextWriter.Null, Options(directory))),
    _ => Usage(),
};

static MemoryDumpOptions Options(string directory) => new() { DumpDirectory = directory, KeepDumpFile = true, MinimumFreeDiskBytes = 0 };

static int Print(MemoryDumpResult result)
{
    Console.WriteLine($"Succeeded={result.Succeeded}");
    Console.WriteLine($"FailureReason={result.FailureReason}");
    Console.WriteLine($"DumpFilePath={result.DumpFilePath}");
    Console.WriteLine($"LoadedAssemblies={string.Join(',', AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetName().Name))}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.Diagnostics.TestChild dump <directory>");
    return 2;
}
