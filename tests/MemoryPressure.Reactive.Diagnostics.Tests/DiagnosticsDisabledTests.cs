using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests;

/// <summary>A child process started with <c>DOTNET_EnableDiagnostics=0</c> asks for a dump of itself.</summary>
[Collection(DumpTests.Name)]
public sealed class DiagnosticsDisabledTests : IDisposable
{
    private static readonly Dictionary<string, string> DiagnosticsOff = new() { ["DOTNET_EnableDiagnostics"] = "0" };

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_dump_with_diagnostics_disabled_is_a_reported_failure_not_a_crash()
    {
        var outcome = TestChild.Run(DiagnosticsOff, "dump", _directory.Path);

        Assert.Equal("False", outcome["Succeeded"]);
        Assert.Equal("diagnostics are disabled in this process (DOTNET_EnableDiagnostics=0), so no dump of it is taken", outcome["FailureReason"]);
        Assert.Empty(_directory.FileNames());
    }
}
