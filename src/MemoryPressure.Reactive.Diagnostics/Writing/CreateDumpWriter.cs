using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.NETCore.Client;

namespace MemoryPressure.Reactive.Diagnostics.Writing;

/// <summary>
/// Writes a dump with the heap through the runtime's own <c>createdump</c>, which suspends the process
/// while it copies its memory into the file.
/// </summary>
/// <remarks>
/// <para>
/// On Linux and macOS the tool is started here, as a child of this process, with its output captured:
/// asked through the diagnostics port instead, the runtime starts the same tool with the same
/// arguments but lets it print its <c>[createdump]</c> lines into this process's own standard output,
/// whatever the caller passed. Its words are kept for the failure reason and dropped on success.
/// Where Yama restricts <c>ptrace</c> to descendants, the tool waits (<c>DOTNET_CreateDumpWaitForAttach</c>)
/// until this process has named it as its tracer with <c>PR_SET_PTRACER</c>, as the runtime does for
/// its own crash dumps; the permission is withdrawn when the tool exits. On Windows the dump is asked
/// for through the diagnostics port, where no output reaches the console.
/// </para>
/// <para>
/// The switches that turn the runtime's diagnostics off (<c>DOTNET_EnableDiagnostics=0</c> and its
/// variants) are honoured: they are said up front as the reason no dump is taken. Cancelling stops
/// the wait, not <c>createdump</c>, which finishes writing into the file on its own.
/// </para>
/// </remarks>
internal sealed class CreateDumpWriter : IDumpWriter
{
    private static readonly string[] SwitchNames =
        ["DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC", "COMPlus_EnableDiagnostics_IPC"];

    /// <summary>The runtime's <c>createdump</c>, beside its core library.</summary>
    private static string ToolPath { get; } = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "createdump");

    public string? WhyUnavailable() =>
        WhyDisabled(Environment.GetEnvironmentVariable)
        ?? (OperatingSystem.IsWindows() || File.Exists(ToolPath) ? null : $"the runtime's createdump is not at {ToolPath}");

    /// <summary>Says which switch turns the runtime's diagnostics off, or returns <see langword="null"/> when none does.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    internal static string? WhyDisabled(Func<string, string?> environment)
    {
        foreach (var name in SwitchNames)
        {
            var value = environment(name);
            if (IsOff(value))
            {
                return $"diagnostics are disabled in this process ({name}={value}), so no dump of it is taken";
            }
        }

        return null;
    }

    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        OperatingSystem.IsWindows()
            ? new DiagnosticsClient(Environment.ProcessId).WriteDumpAsync(DumpType.WithHeap, path, WriteDumpFlags.None, cancellationToken)
            : RunToolAsync(path).WaitAsync(cancellationToken);

    /// <summary>Runs <c>createdump</c> on this process to its end; throws with the tool's own words when it fails.</summary>
    private static async Task RunToolAsync(string path)
    {
        var start = new ProcessStartInfo(ToolPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(path))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CreateDumpWaitForAttach"] = "1";
        using var tool = Process.Start(start) ?? throw new InvalidOperationException($"{ToolPath} did not start");
        try
        {
            Yama.AllowTracer(tool.Id);
            var output = tool.StandardOutput.ReadToEndAsync();
            var error = tool.StandardError.ReadToEndAsync();
            await tool.StandardInput.WriteLineAsync().ConfigureAwait(false);
            tool.StandardInput.Close();
            await tool.WaitForExitAsync().ConfigureAwait(false);
            if (tool.ExitCode != 0)
            {
                var prompt = $"[createdump] waiting for attach {tool.Id.ToString(CultureInfo.InvariantCulture)}: ";
                var words = string.Join("; ", $"{await error.ConfigureAwait(false)}\n{await output.ConfigureAwait(false)}"
                    .Replace(prompt, string.Empty, StringComparison.Ordinal)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                throw new IOException($"createdump exited with {tool.ExitCode.ToString(CultureInfo.InvariantCulture)} writing {path}: {words}");
            }
        }
        finally
        {
            Yama.AllowTracer(0);
        }
    }

    private static IEnumerable<string> Arguments(string path)
    {
        yield return "--name";
        yield return path;
        yield return "--withheap";
        if (string.IsNullOrEmpty(typeof(object).Assembly.Location))
        {
            yield return "--singlefile";
        }

        yield return Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

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
