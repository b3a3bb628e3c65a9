using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Writing;

/// <summary>A child process dumps itself; what <c>createdump</c> says must not reach the child's own console.</summary>
[Collection(DumpTests.Name)]
public sealed class CreateDumpOutputTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [SkippableFact]
    public void A_dump_prints_nothing_of_createdump_on_the_process_s_own_output()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the child's createdump runs as its child on Linux");

        var (output, error) = TestChild.RunForOutput(new Dictionary<string, string>(), "dump", _directory.Path);

        Assert.Contains("Succeeded=True", output, StringComparison.Ordinal);
        Assert.DoesNotContain("createdump", output, StringComparison.Ordinal);
        Assert.DoesNotContain("createdump", error, StringComparison.Ordinal);
        Assert.Single(_directory.FileNames());
    }
}
