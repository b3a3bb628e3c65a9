using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests;

/// <summary>
/// ClrMD 4 depends on Azure.Identity and MSAL for symbol servers; a breakdown reads the runtime's own
/// data access library and must never load that tree.
/// </summary>
[Collection(DumpTests.Name)]
public sealed class DependencyFootprintTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_breakdown_in_a_fresh_process_loads_ClrMD_but_nothing_of_its_cloud_dependencies()
    {
        var outcome = TestChild.Run(new Dictionary<string, string>(), "dump", _directory.Path);

        Assert.Equal("True", outcome["Succeeded"]);
        var loaded = outcome["LoadedAssemblies"].Split(',');
        Assert.Contains("Microsoft.Diagnostics.Runtime", loaded);
        Assert.DoesNotContain(loaded, name =>
            name.StartsWith("Azure.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Identity", StringComparison.Ordinal)
            || name is "System.ClientModel" or "Microsoft.Security.AntiSSRF");
    }
}
