using System.Globalization;
using System.Text;

namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>
/// Writes the guest's init: a <c>/bin/sh</c> script, run as root with the host's files as the root,
/// that builds the cgroup tree, runs the program and its background steps, reads the kernel's files,
/// and powers off.
/// </summary>
/// <remarks>
/// The script leaves its results in the run's directory on the host: <c>stdout</c>, <c>stderr</c>,
/// <c>exit-code</c>, <c>timed-out</c>, <c>background</c>, <c>cgroup-files</c> (each file after a
/// <c>### path</c> line), <c>output/</c>, <c>setup-failed</c> when a step of the tree failed, and
/// <c>powered-off</c> last. An init that exits panics the kernel, so every path ends in
/// <c>poweroff -f</c>; writes go through the guest's page cache, so a <c>sync</c> comes before.
/// </remarks>
internal static class InitScript
{
    public const string StandardOutput = "stdout";
    public const string StandardError = "stderr";
    public const string ExitCode = "exit-code";
    public const string TimedOut = "timed-out";
    public const string Background = "background";
    public const string CgroupFiles = "cgroup-files";
    public const string OutputDirectory = "output";
    public const string SetupFailed = "setup-failed";
    public const string PoweredOff = "powered-off";
    public const string CgroupFileMark = "### ";

    private const string Root = "/sys/fs/cgroup";

    /// <summary>Writes the script.</summary>
    /// <param name="scenario">What to run.</param>
    /// <param name="tree">The scenario's cgroups, checked.</param>
    /// <param name="run">The run's directory, seen at the same path in the guest.</param>
    /// <returns>The script's text.</returns>
    public static string Build(GuestScenario scenario, CgroupTree tree, string run)
    {
        var script = new StringBuilder();
        void Line(string text) => script.Append(text).Append('\n');

        Line("#!/bin/sh");
        Line("# The init of a user-mode Linux guest, written by MemoryPressure.Reactive.UserModeLinux.");
        Line($"run={Quote(run)}");
        Line($"fail() {{ echo \"$*\" > \"$run/{SetupFailed}\"; sync; poweroff -f; }}");
        Line("mount -t proc proc /proc || fail 'mount proc on /proc'");
        Line("mount -t sysfs sysfs /sys || fail 'mount sysfs on /sys'");

        // The runtime finds its cgroup by statfs of /sys/fs/cgroup: the hierarchy must be there.
        Line($"mount -t cgroup2 none {Root} || fail 'mount cgroup2 on {Root}'");
        Line($"echo +memory > {Root}/cgroup.subtree_control || fail 'enable the memory controller at the root'");
        foreach (var cgroup in tree.Cgroups)
        {
            var directory = Quote($"{Root}/{cgroup.Path}");
            Line($"mkdir {directory} || fail {Quote($"make {cgroup.Path}")}");
            if (cgroup.MemoryMax is { } max)
            {
                Line($"echo {Number(max)} > {directory}/memory.max || fail {Quote($"write {Number(max)} to {cgroup.Path}/memory.max")}");
            }

            if (cgroup.MemoryHigh is { } high)
            {
                Line($"echo {Number(high)} > {directory}/memory.high || fail {Quote($"write {Number(high)} to {cgroup.Path}/memory.high")}");
            }

            if (tree.Parents.Contains(cgroup.Path))
            {
                Line($"echo +memory > {directory}/cgroup.subtree_control || fail {Quote($"enable the memory controller in {cgroup.Path}")}");
            }
        }

        Line($"mkdir \"$run/{OutputDirectory}\" || fail 'make the output directory'");
        Line($"export UML_RUN_DIRECTORY=\"$run\" UML_PROGRAM_OUTPUT=\"$run/{StandardOutput}\"");
        Line("cd \"$run\"");

        // The shell moves itself into the leaf, then becomes the program: its process, its exit code.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = run,
            ["TMPDIR"] = run,
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["UML_RUN_DIRECTORY"] = run,
            ["UML_OUTPUT_DIRECTORY"] = $"{run}/{OutputDirectory}",
        };
        foreach (var (name, value) in scenario.Environment)
        {
            environment[name] = value;
        }

        var command = new List<string> { "/usr/bin/env", "-i" };
        command.AddRange(environment.Select(variable => $"{variable.Key}={variable.Value}"));
        command.Add(scenario.Program);
        command.AddRange(scenario.Arguments);
        Line(
            $"sh -c 'echo $$ > \"$0\" && exec \"$@\"' {Quote($"{Root}/{scenario.ProgramCgroup}/cgroup.procs")} {string.Join(' ', command.Select(Quote))}"
            + $" < /dev/null > \"$run/{StandardOutput}\" 2> \"$run/{StandardError}\" &");
        Line("program=$!");

        // SIGKILL: a task throttled at memory.high may take minutes to act on SIGTERM.
        var seconds = (long)Math.Ceiling(scenario.Timeout.TotalSeconds);
        Line($"(sleep {seconds.ToString(CultureInfo.InvariantCulture)}; echo killed > \"$run/{TimedOut}\"; kill -KILL $program) > /dev/null 2>&1 &");
        Line("watchdog=$!");
        var steps = new List<string>();
        for (var i = 0; i < scenario.BackgroundSteps.Count; i++)
        {
            Line("(");
            Line(scenario.BackgroundSteps[i]);
            Line($") >> \"$run/{Background}\" 2>&1 &");
            Line($"step{i}=$!");
            steps.Add($"$step{i}");
        }

        Line("wait $program");
        Line($"echo $? > \"$run/{ExitCode}\"");
        Line($"kill -KILL $watchdog {string.Join(' ', steps)} 2> /dev/null");

        var files = tree.Cgroups.SelectMany(cgroup => scenario.CgroupFiles.Select(name => $"{cgroup.Path}/{name}"));
        Line($"for file in {string.Join(' ', files.Select(Quote))}; do");
        Line($"  if [ -r \"{Root}/$file\" ]; then echo \"{CgroupFileMark}$file\"; cat \"{Root}/$file\"; fi");
        Line($"done > \"$run/{CgroupFiles}\" 2>&1");
        Line("sync");
        Line($"echo yes > \"$run/{PoweredOff}\"");
        Line("sync");
        Line("poweroff -f");
        return script.ToString();
    }

    /// <summary>Quotes a word for <c>/bin/sh</c>: inside single quotes nothing is special but the quote itself.</summary>
    public static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
