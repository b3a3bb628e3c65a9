using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace MemoryPressure.Reactive.Diagnostics.Writing;

/// <summary>
/// Asks this process's runtime, through its diagnostics port, for a dump with the heap: the runtime
/// starts <c>createdump</c>, which suspends the process while it copies its memory into the file.
/// </summary>
/// <remarks>
/// A dump needs the diagnostics port, which <c>DOTNET_EnableDiagnostics=0</c> (or
/// <c>DOTNET_EnableDiagnostics_IPC=0</c>) turns off; that is said up front instead of as a failed
/// connection. Cancelling stops the wait, not <c>createdump</c>, which finishes writing into the file
/// on its own.
/// </remarks>
internal sealed class DiagnosticsDumpWriter : IDumpWriter
{
    private static readonly string[] SwitchNames =
        ["DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC", "COMPlus_EnableDiagnostics_IPC"];

    public string? WhyUnavailable() => WhyDisabled(Environment.GetEnvironmentVariable);

    /// <summary>Says which switch turns the diagnostics port off, or returns <see langword="null"/> when none does.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    internal static string? WhyDisabled(Func<string, string?> environment)
    {
        foreach (var name in SwitchNames)
        {
            var value = environment(name);
            if (IsOff(value))
            {
                return $"diagnostics are disabled in this process ({name}={value}), so the runtime cannot write a dump of it";
            }
        }

        return null;
    }

    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        new DiagnosticsClient(Environment.ProcessId).WriteDumpAsync(DumpType.WithHeap, path, WriteDumpFlags.None, cancellationToken);

    // The runtime reads these switches as hexadecimal numbers: "0", "00" and "0x0" all turn diagnostics off.
    private static bool IsOff(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var digits = value.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        return uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number) && number == 0;
    }
}
