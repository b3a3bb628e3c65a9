using System.Globalization;
using System.Text;

namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>What a user-mode Linux guest's run gave: the program's exit and output, and the kernel's files read after it.</summary>
public sealed class GuestResult
{
    internal GuestResult(
        int exitCode,
        bool timedOut,
        string standardOutput,
        string standardError,
        IReadOnlyDictionary<string, string> cgroupFiles,
        IReadOnlyDictionary<string, string> outputFiles,
        string backgroundOutput,
        bool poweredOff,
        string console,
        TimeSpan elapsed)
    {
        ExitCode = exitCode;
        TimedOut = timedOut;
        StandardOutput = standardOutput;
        StandardError = standardError;
        CgroupFiles = cgroupFiles;
        OutputFiles = outputFiles;
        BackgroundOutput = backgroundOutput;
        PoweredOff = poweredOff;
        Console = console;
        Elapsed = elapsed;
    }

    /// <summary>Gets the program's exit code in the guest: 137 when it was killed (by the OOM killer or at <see cref="GuestScenario.Timeout"/>); -1 when the guest ended before the program did.</summary>
    public int ExitCode { get; }

    /// <summary>Gets a value indicating whether the program was killed at <see cref="GuestScenario.Timeout"/>.</summary>
    public bool TimedOut { get; }

    /// <summary>Gets what the program wrote to its standard output.</summary>
    public string StandardOutput { get; }

    /// <summary>Gets what the program wrote to its standard error.</summary>
    public string StandardError { get; }

    /// <summary>
    /// Gets the text of each file of <see cref="GuestScenario.CgroupFiles"/> in each cgroup, read in the
    /// guest after the program ended, by path relative to <c>/sys/fs/cgroup</c>: <c>pod/memory.events</c>.
    /// </summary>
    /// <remarks>A file the kernel does not provide (the root has no <c>memory.max</c>) is absent.</remarks>
    public IReadOnlyDictionary<string, string> CgroupFiles { get; }

    /// <summary>Gets the text of each file the program left in <c>UML_OUTPUT_DIRECTORY</c>, by name.</summary>
    public IReadOnlyDictionary<string, string> OutputFiles { get; }

    /// <summary>Gets what the <see cref="GuestScenario.BackgroundSteps"/> printed, both streams.</summary>
    public string BackgroundOutput { get; }

    /// <summary>Gets a value indicating whether the guest got to its <c>poweroff</c> after reading the kernel's files (otherwise it panicked or crashed, see <see cref="Console"/>).</summary>
    public bool PoweredOff { get; }

    /// <summary>Gets the guest kernel's console: its boot messages, OOM reports and panics.</summary>
    public string Console { get; }

    /// <summary>Gets the wall time from the start of the boot to the guest's end, on the host.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Reads a one-number cgroup file: <c>pod/memory.current</c>.</summary>
    /// <param name="path">The file's path relative to <c>/sys/fs/cgroup</c>.</param>
    /// <returns>The number; <see cref="long.MaxValue"/> for <c>max</c>.</returns>
    /// <exception cref="KeyNotFoundException">The file was not read (not in <see cref="GuestScenario.CgroupFiles"/>, or not provided by the kernel).</exception>
    public long Number(string path)
    {
        var text = File(path).Trim();
        return text == "max" ? long.MaxValue : long.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a flat-keyed cgroup file (<c>memory.events</c>, <c>memory.stat</c>): each line a name and a number.</summary>
    /// <param name="path">The file's path relative to <c>/sys/fs/cgroup</c>: <c>pod/memory.events</c>.</param>
    /// <returns>The numbers by name.</returns>
    /// <exception cref="KeyNotFoundException">The file was not read (not in <see cref="GuestScenario.CgroupFiles"/>, or not provided by the kernel).</exception>
    public IReadOnlyDictionary<string, long> Counts(string path)
    {
        var counts = new Dictionary<string, long>();
        foreach (var line in File(path).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                counts[parts[0]] = value;
            }
        }

        return counts;
    }

    /// <summary>Describes the run for an assertion's message: the exit, both outputs, the kernel's files and the console's end.</summary>
    /// <returns>Several lines of text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"exit code {ExitCode}{(TimedOut ? " (killed at the timeout)" : "")}, ");
        text.Append(CultureInfo.InvariantCulture, $"{(PoweredOff ? "powered off" : "did NOT power off")} after {Elapsed.TotalSeconds:0.0} s\n");
        text.Append("--- stdout\n").Append(StandardOutput);
        text.Append("--- stderr\n").Append(StandardError);
        if (BackgroundOutput.Length > 0)
        {
            text.Append("--- background\n").Append(BackgroundOutput);
        }

        foreach (var (path, content) in CgroupFiles.Where(file => !file.Key.EndsWith("memory.stat", StringComparison.Ordinal)))
        {
            text.Append(CultureInfo.InvariantCulture, $"--- {path}: {content.Trim().ReplaceLineEndings(", ")}\n");
        }

        var consoleLines = Console.Split('\n');
        text.Append("--- console (end)\n").AppendJoin('\n', consoleLines.Skip(Math.Max(0, consoleLines.Length - 15)));
        return text.ToString();
    }

    private string File(string path) => CgroupFiles.TryGetValue(path, out var text)
        ? text
        : throw new KeyNotFoundException($"{path} was not read in the guest; read were: {string.Join(", ", CgroupFiles.Keys)}");
}
