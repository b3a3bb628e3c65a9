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
        Assert.Equal("diagnostics are disabled in this process (DOTNET_EnableDiagnostics=0), so the runtime cannot write a dump of it", outcome["FailureReason"]);
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public void Without_the_up_front_check_the_runtime_s_own_refusal_is_reported_and_no_file_is_left()
    {
        var outcome = TestChild.Run(DiagnosticsOff, "dump-unchecked", _directory.Path);

        Assert.Equal("False", outcome["Succeeded"]);
        Assert.StartsWith("writing the dump failed: ", outcome["FailureReason"], StringComparison.Ordinal);
        Assert.Empty(_directory.FileNames());
    }
}
