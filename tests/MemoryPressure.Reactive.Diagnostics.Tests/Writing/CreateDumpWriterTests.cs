using MemoryPressure.Reactive.Diagnostics.Writing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Writing;

public class CreateDumpWriterTests
{
    private static string? WhyDisabled(string name, string value) =>
        CreateDumpWriter.WhyDisabled(variable => variable == name ? value : null);

    [Theory]
    [InlineData("DOTNET_EnableDiagnostics", "0")]
    [InlineData("DOTNET_EnableDiagnostics", " 00 ")]
    [InlineData("DOTNET_EnableDiagnostics", "0x0")]
    [InlineData("COMPlus_EnableDiagnostics", "0")]
    [InlineData("DOTNET_EnableDiagnostics_IPC", "0")]
    public void A_switch_that_turns_the_diagnostics_port_off_is_named_in_the_reason(string name, string value) =>
        Assert.Equal(
            $"diagnostics are disabled in this process ({name}={value}), so no dump of it is taken",
            WhyDisabled(name, value));

    [Theory]
    [InlineData("DOTNET_EnableDiagnostics", "1")]
    [InlineData("DOTNET_EnableDiagnostics", "")]
    [InlineData("DOTNET_EnableDiagnostics", "yes")]
    [InlineData("DOTNET_EnableDiagnostics_Debugger", "0")]
    public void Other_values_and_switches_leave_dumps_possible(string name, string value) =>
        Assert.Null(WhyDisabled(name, value));
}
