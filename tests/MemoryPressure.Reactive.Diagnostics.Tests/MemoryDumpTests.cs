using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using MemoryPressure.Reactive.Diagnostics.Analysis;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using Microsoft.Diagnostics.Runtime;

namespace MemoryPressure.Reactive.Diagnostics.Tests;

/// <summary>Real dumps of the test process through the public API.</summary>
[Collection(DumpTests.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class MemoryDumpTests : IDisposable
{
    private const int BallastCount = 1_000;
    private const long BallastSize = 40;
    private const int ArrayCount = 500;
    private const int ArrayLength = 12_345;
    private const long ArraySize = 12_376;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Checks_its_arguments_before_dumping()
    {
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => MemoryDump.DumpMemoryOn(null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { TopTypes = 0 })).ParamName);
        // The asynchronous form checks at the call, not in the returned task.
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => { _ = MemoryDump.DumpMemoryOnAsync(TextWriter.Null, new MemoryDumpOptions { FilePrefix = "../../etc/cron.d/x" }); }).ParamName);
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public async Task Too_little_free_disk_space_is_a_reported_failure_and_nothing_is_written()
    {
        using var output = new StringWriter();

        var result = await MemoryDump.DumpMemoryOnAsync(output, new MemoryDumpOptions { DumpDirectory = _directory.Path, KeepDumpFile = true, MinimumFreeDiskBytes = long.MaxValue / 2 });

        Assert.False(result.Succeeded);
        Assert.Contains("margin", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains($"failed: {result.FailureReason}", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_directory.FileNames());
    }

    [SkippableFact]
    public void Finds_known_instances_with_exact_counts_and_bytes_matching_ClrMD_and_keeps_an_owner_only_dump()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes do not exist on Windows");
        var ballast = Enumerable.Range(0, BallastCount).Select(i => new Ballast(i)).ToArray();
        var arrays = Enumerable.Range(0, ArrayCount).Select(_ => new byte[ArrayLength]).ToArray();
        using var output = new StringWriter();

        var result = MemoryDump.DumpMemoryOn(output, new MemoryDumpOptions { TopTypes = MemoryDumpOptions.MaximumTopTypes, KeepDumpFile = true, DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0 });
        GC.KeepAlive(ballast);
        GC.KeepAlive(arrays);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(new TypeUsage(typeof(Ballast).FullName!, BallastCount, BallastCount * BallastSize, (double)(BallastCount * BallastSize) / result.TotalBytes), Row(result, typeof(Ballast).FullName!));

        var reference = ClrMdTotals(result.DumpFilePath!);
        Assert.Equal(ArrayCount, reference.ArraysOfTheKnownLength);
        var byteArrays = Row(result, "System.Byte[]");
        Assert.Equal(reference.ByName["System.Byte[]"], (byteArrays.Count, byteArrays.Bytes));
        Assert.InRange(byteArrays.Bytes, ArrayCount * ArraySize, long.MaxValue);

        // Every type, not only the known ones, totals exactly what ClrMD's own heap walk finds.
        Assert.Equal(reference.ByName, result.Types.GroupBy(t => t.TypeName).ToDictionary(g => g.Key, g => (g.Sum(t => t.Count), g.Sum(t => t.Bytes))));
        Assert.Equal(result.TypeCount, result.Types.Count);
        Assert.Equal(result.TotalBytes, result.Heap.Generation0Bytes + result.Heap.Generation1Bytes + result.Heap.Generation2Bytes + result.Heap.LargeObjectHeapBytes + result.Heap.PinnedObjectHeapBytes);
        Assert.Equal(0, result.UnreadableBytes);
        Assert.Equal(reference.CommittedBytes, result.Heap.CommittedBytes);
        Assert.Equal(reference.ByName.GetValueOrDefault("Free").Bytes, result.Heap.FragmentedBytes);
        Assert.InRange(result.Heap.CommittedBytes, result.TotalBytes, long.MaxValue);

        Assert.Equal([Path.GetFileName(result.DumpFilePath!)], _directory.FileNames());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.DumpFilePath!));
        Assert.True(result.Sample.ProcessResidentBytes > 0);
        Assert.Contains($"{BallastCount * BallastSize,16:N0} {BallastCount,14:N0}", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_breakdown_counts_live_objects_only_and_none_of_an_earlier_analysis()
    {
        var live = Enumerable.Range(0, 1_234).Select(i => new LiveThing(i)).ToArray();
        LeaveUnreachableInGeneration2(20_000);
        var first = MemoryDump.DumpMemoryOn(TextWriter.Null);
        var options = new MemoryDumpOptions { TopTypes = MemoryDumpOptions.MaximumTopTypes };

        var second = MemoryDump.DumpMemoryOn(TextWriter.Null, options);
        GC.KeepAlive(live);

        Assert.True(first.Succeeded && second.Succeeded, first.FailureReason ?? second.FailureReason);
        Assert.False(second.IncludesUnreachable);
        Assert.True(second.CollectionDuration > TimeSpan.Zero);
        Assert.Equal(1_234, Row(second, typeof(LiveThing).FullName!).Count);
        Assert.DoesNotContain(second.Types, t => t.TypeName == typeof(DeadThing).FullName);

        // An analysis leaves thousands of ClrMD objects behind (2,174 ClrDacType, dictionaries of types
        // and methods, the tallies): garbage, gone. What stays is static state of a few KiB, and the
        // objects of the dump in progress.
        var analysisTypes = second.Types.Where(t => t.TypeName.StartsWith("Microsoft.Diagnostics.", StringComparison.Ordinal) || (t.TypeName.StartsWith("MemoryPressure.Reactive.Diagnostics.", StringComparison.Ordinal) && !t.TypeName.StartsWith(typeof(MemoryDumpTests).Namespace + ".", StringComparison.Ordinal))).ToArray();
        Assert.DoesNotContain(analysisTypes, t => t.TypeName.Contains("ClrDacType", StringComparison.Ordinal) || t.TypeName.Contains("TypeTally", StringComparison.Ordinal));
        Assert.True(analysisTypes.Sum(t => t.Bytes) < 64 * 1024, string.Join(", ", analysisTypes.Select(t => $"{t.TypeName} {t.Bytes}")));
    }

    [Fact]
    public void With_IncludeUnreachable_the_garbage_is_counted_too()
    {
        var live = Enumerable.Range(0, 1_234).Select(i => new LiveThing(i)).ToArray();
        LeaveUnreachableInGeneration2(20_000);

        var result = MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { TopTypes = MemoryDumpOptions.MaximumTopTypes, IncludeUnreachable = true });
        GC.KeepAlive(live);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.True(result.IncludesUnreachable);
        Assert.Equal(TimeSpan.Zero, result.CollectionDuration);
        Assert.Equal(1_234, Row(result, typeof(LiveThing).FullName!).Count);
        Assert.Equal(20_000, Row(result, typeof(DeadThing).FullName!).Count);
    }

    [Fact]
    public void ObjectSize_and_the_breakdown_spell_every_type_the_same_way()
    {
        object[] samples =
        [
            new Dictionary<int, LiveThing> { [1] = new(1) },
            new List<string> { "a" },
            new KeyValuePair<int, List<string>>[] { new(1, ["b"]) },
            new int[2, 3],
            new Generic<long>.Nested<LiveThing>(),
        ];
        var names = samples.SelectMany(s => ObjectSize.GetSize(s, new ObjectSizeOptions { TopTypes = 100 }).TopTypes).Select(t => t.TypeName).Distinct().ToArray();

        var result = MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { TopTypes = MemoryDumpOptions.MaximumTopTypes });
        GC.KeepAlive(samples);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Contains("System.Collections.Generic.Dictionary<System.Int32, MemoryPressure.Reactive.Diagnostics.Tests.MemoryDumpTests+LiveThing>+Entry[]", names);
        Assert.Empty(names.Except(result.Types.Select(t => t.TypeName)));
    }

    /// <summary>
    /// Makes instances, promotes them to generation 2 while they are reachable, then drops them: they
    /// stay on the heap, unreachable, until the next full collection.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveUnreachableInGeneration2(int count)
    {
        var dead = Enumerable.Range(0, count).Select(i => new DeadThing(i)).ToArray();
        GC.Collect();
        GC.Collect();
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(dead[0]));
    }

    private static TypeUsage Row(MemoryDumpResult result, string typeName) => Assert.Single(result.Types, t => t.TypeName == typeName);

    /// <summary>Totals the dump with ClrMD's own object enumeration, each size rounded up as the GC allocates, and its segments' committed memory.</summary>
    private static (Dictionary<string, (long Count, long Bytes)> ByName, int ArraysOfTheKnownLength, long CommittedBytes) ClrMdTotals(string dumpPath)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        using var runtime = target.ClrVersions[0].CreateRuntime(ClrMdHeapAnalyser.DacPath, ignoreMismatch: true);
        var byName = new Dictionary<string, (long Count, long Bytes)>();
        var arraysOfTheKnownLength = 0;
        long committed = 0;
        foreach (var segment in runtime.Heap.Segments.Where(s => s.Kind != GCSegmentKind.Frozen))
        {
            committed += (long)segment.CommittedMemory.Length;
            foreach (var obj in segment.EnumerateObjects())
            {
                var name = obj.Type!.Name!;
                var allocated = Math.Max(24, ((long)obj.Size + 7) & ~7L);
                var (count, bytes) = byName.GetValueOrDefault(name);
                byName[name] = (count + 1, bytes + allocated);
                if (name == "System.Byte[]" && obj.AsArray().Length == ArrayLength)
                {
                    arraysOfTheKnownLength++;
                }
            }
        }

        return (byName, arraysOfTheKnownLength, committed);
    }

    /// <summary>Three longs: 8 bytes of header, 8 of method table pointer and 24 of fields, 40 in all.</summary>
    private sealed class LiveThing(long value)
    {
        public long Value { get; } = value;
    }

    private sealed class Generic<T>
    {
        public sealed class Nested<TItem>;
    }

    private sealed class DeadThing(long value)
    {
        public long Value { get; } = value;
    }

    private sealed class Ballast(long value)
    {
        public long First { get; } = value;

        public long Second { get; } = value + 1;

        public long Third { get; } = value + 2;
    }
}
