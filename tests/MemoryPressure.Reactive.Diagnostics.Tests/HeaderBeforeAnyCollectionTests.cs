using System.Globalization;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests;

/// <summary>
/// A fresh child process dumps everything before its first collection, when <see cref="GC.GetGCMemoryInfo()"/>
/// is still empty; the header's figures are checked against the GC's own once a collection has run.
/// </summary>
[Collection(DumpTests.Name)]
public sealed class HeaderBeforeAnyCollectionTests : IDisposable
{
    private const long LiveBytes = 1000 * 1024;

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_header_before_the_first_collection_agrees_with_the_GC_s_figures_after_one()
    {
        var seen = TestChild.Run(new Dictionary<string, string>(), "header-before-gc", _directory.Path);
        long Figure(string name) => long.Parse(seen[name], CultureInfo.InvariantCulture);

        Assert.Equal("True", seen["Succeeded"]);
        Assert.Equal(0, Figure("CollectionsBefore"));
        Assert.Equal(0, Figure("DumpCollections"));
        Assert.Equal(0, Figure("InfoCommittedBefore"));
        Assert.Equal("0,0,0", seen["HeaderCollections"]);

        var objects = Figure("HeaderObjects");
        Assert.InRange(objects, LiveBytes, long.MaxValue);
        Assert.InRange(objects, Figure("InfoHeapSizeAfter") * 9 / 10, Figure("InfoHeapSizeAfter") * 11 / 10);
        Assert.InRange(Figure("HeaderFragmented"), 0, objects);
        Assert.InRange(Figure("HeaderCommitted"), objects, Figure("InfoCommittedAfter") + (1 << 20));
    }
}
