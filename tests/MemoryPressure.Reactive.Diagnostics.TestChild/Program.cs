using MemoryPressure.Reactive.Diagnostics;

// Commands, one per argument list; each prints what it saw as "Name=value" lines and exits 0:
//   dump <directory>             MemoryDump.DumpMemoryOn, keeping the dump in <directory>; the outcome
//                                and the assemblies the process loaded.
//   header-before-gc <directory> before any collection, 1,000 live 1 KiB arrays and a dump of
//                                everything; the header's figures, then the GC's own after a full collection.
return args switch
{
    ["dump", var directory] => Print(MemoryDump.DumpMemoryOn(TextWriter.Null, Options(directory))),
    ["header-before-gc", var directory] => HeaderBeforeGc(directory),
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

static int HeaderBeforeGc(string directory)
{
    var live = new byte[1000][];
    for (var i = 0; i < live.Length; i++)
    {
        live[i] = new byte[1024];
    }

    Console.WriteLine($"CollectionsBefore={GC.CollectionCount(0)}");
    Console.WriteLine($"InfoCommittedBefore={GC.GetGCMemoryInfo().TotalCommittedBytes}");
    var result = MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { DumpDirectory = directory, IncludeUnreachable = true, MinimumFreeDiskBytes = 0 });
    Console.WriteLine($"Succeeded={result.Succeeded}");
    Console.WriteLine($"HeaderCommitted={result.Heap.CommittedBytes}");
    Console.WriteLine($"HeaderObjects={result.TotalBytes}");
    Console.WriteLine($"HeaderFragmented={result.Heap.FragmentedBytes}");
    Console.WriteLine($"HeaderCollections={result.Heap.Generation0Collections},{result.Heap.Generation1Collections},{result.Heap.Generation2Collections}");
    Console.WriteLine($"DumpCollections={GC.CollectionCount(0)}");
    GC.Collect();
    var info = GC.GetGCMemoryInfo();
    Console.WriteLine($"InfoCommittedAfter={info.TotalCommittedBytes}");
    Console.WriteLine($"InfoHeapSizeAfter={info.HeapSizeBytes}");
    Console.WriteLine($"InfoFragmentedAfter={info.FragmentedBytes}");
    GC.KeepAlive(live);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.Diagnostics.TestChild dump|header-before-gc <directory>");
    return 2;
}
