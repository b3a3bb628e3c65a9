using System.Diagnostics;
using System.Globalization;

namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>
/// Boots user-mode Linux (Debian's <c>user-mode-linux</c> package: a Linux 6.1 kernel run as a host
/// process) with the host's files as its root, and runs a <see cref="GuestScenario"/> on its real
/// cgroup v2 memory controller.
/// </summary>
/// <remarks>
/// <para>
/// A boot takes about 3 seconds. The guest runs its init (see <see cref="GuestScenario"/>) as root, so
/// it can build any cgroup tree whoever runs the host side; its files written on the host's file
/// system are the host user's.
/// </para>
/// <para>
/// Each run has a directory of its own under the host's temporary directory, deleted at the end
/// whatever happens; <c>linux.uml</c> runs in a session of its own, and every process of that session
/// is killed at the end, so no guest outlives its run.
/// </para>
/// </remarks>
public static class UserModeLinuxGuest
{
    /// <summary>The host's allowance for the kernel's boot and power-off, beyond the program's own <see cref="GuestScenario.Timeout"/>.</summary>
    public static readonly TimeSpan BootAllowance = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string?> Unavailable = new(TrialBoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the path of <c>linux.uml</c> on the <c>PATH</c>, or <see langword="null"/> when it is not installed.</summary>
    public static string? KernelPath { get; } = FindKernel();

    /// <summary>
    /// Says why guests cannot run on this machine: not Linux, <c>linux.uml</c> missing, or a trial
    /// boot (about 3 seconds, once per process) that fails or finds no memory controller.
    /// </summary>
    /// <returns>The reason, for a test's skip message; <see langword="null"/> when guests can run.</returns>
    public static string? WhyUnavailable() => Unavailable.Value;

    /// <summary>Boots a guest, runs the scenario in it, and returns what it gave once the guest has powered off.</summary>
    /// <param name="scenario">What to run.</param>
    /// <param name="cancellationToken">Stops the guest (killed, with every host process it started).</param>
    /// <returns>The program's exit and output and the kernel's files read after it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scenario"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A cgroup path is not plain and relative, or the program's cgroup is not a leaf.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The scenario's timeout is not positive.</exception>
    /// <exception cref="PlatformNotSupportedException">The host is not Linux.</exception>
    /// <exception cref="InvalidOperationException">
    /// <c>linux.uml</c> is not installed; the guest could not build the cgroup tree; or host processes
    /// of the guest outlived <c>SIGKILL</c>.
    /// </exception>
    /// <exception cref="GuestNeverPoweredOffException">
    /// The guest was still running at <see cref="GuestScenario.Timeout"/> plus <see cref="BootAllowance"/>; it was killed.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the guest was killed.</exception>
    public static Task<GuestResult> RunAsync(GuestScenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scenario.Program, nameof(scenario));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(scenario.Timeout, TimeSpan.Zero, nameof(scenario));
        var tree = CgroupTree.From(scenario);
        var kernel = KernelPath ?? throw new InvalidOperationException("linux.uml is not on the PATH: apt-get install -y user-mode-linux");
        return RunInDirectoryAsync(scenario, tree, kernel, cancellationToken);
    }

    private static async Task<GuestResult> RunInDirectoryAsync(GuestScenario scenario, CgroupTree tree, string kernel, CancellationToken cancellationToken)
    {
        var run = Directory.CreateTempSubdirectory("uml-run-").FullName;
        try
        {
            return await BootAsync(scenario, tree, kernel, run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }

    private static async Task<GuestResult> BootAsync(GuestScenario scenario, CgroupTree tree, string kernel, string run, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("user-mode Linux runs on Linux hosts only");
        }

        var script = Path.Combine(run, "init");
        await File.WriteAllTextAsync(script, InitScript.Build(scenario, tree, run), cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var console = Path.Combine(run, "console");

        // setsid without a fork (a child of this process leads no group): linux.uml's id is its
        // session's and group's, which holds every helper it forks. The console is a file, not a
        // pipe that a helper could hold open.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = run };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec setsid \"$0\" \"$@\" < /dev/null > {InitScript.Quote(console)} 2>&1");
        start.ArgumentList.Add(kernel);
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"mem={scenario.GuestMemoryBytes >> 20}M"));
        start.ArgumentList.Add("rootfstype=hostfs");
        start.ArgumentList.Add("rootflags=/");
        start.ArgumentList.Add("rw");
        start.ArgumentList.Add($"init={script}");
        start.ArgumentList.Add("con=null");
        start.ArgumentList.Add("con0=fd:0,fd:1");

        // The pid file and the management socket in the run's directory, not in ~/.uml where a killed guest would leave them.
        start.ArgumentList.Add($"uml_dir={run}");
        start.ArgumentList.Add("umid=guest");

        var bound = scenario.Timeout + BootAllowance;
        var clock = Stopwatch.StartNew();
        using var boot = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh could not be started");
        var group = boot.Id;
        var exitedInTime = false;
        List<int> survivors;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(bound);
            await boot.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            exitedInTime = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the bound: ended below, reported after.
        }
        finally
        {
            // Whatever happened, no host process of the guest is left: a guest that powered off may leave helpers behind.
            survivors = await ProcessGroup.EndAsync(group, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        if (survivors.Count > 0)
        {
            throw new InvalidOperationException($"Host processes of the guest outlived SIGKILL: {string.Join(", ", survivors)}.");
        }

        var elapsed = clock.Elapsed;
        var consoleText = ReadOrEmpty(console);
        if (!exitedInTime)
        {
            throw new GuestNeverPoweredOffException(
                string.Create(CultureInfo.InvariantCulture, $"The guest did not power off within {bound.TotalSeconds:0} s (the program's {scenario.Timeout.TotalSeconds:0} s and {BootAllowance.TotalSeconds:0} s for the kernel); it was killed. The console's end:\n{Tail(consoleText)}"));
        }

        if (File.Exists(Path.Combine(run, InitScript.SetupFailed)))
        {
            throw new InvalidOperationException($"The guest could not build the scenario: {ReadOrEmpty(Path.Combine(run, InitScript.SetupFailed)).Trim()}. The console's end:\n{Tail(consoleText)}");
        }

        var exitCode = int.TryParse(ReadOrEmpty(Path.Combine(run, InitScript.ExitCode)).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : -1;
        return new GuestResult(
            exitCode,
            File.Exists(Path.Combine(run, InitScript.TimedOut)),
            ReadOrEmpty(Path.Combine(run, InitScript.StandardOutput)),
            ReadOrEmpty(Path.Combine(run, InitScript.StandardError)),
            ParseCgroupFiles(ReadOrEmpty(Path.Combine(run, InitScript.CgroupFiles))),
            ReadOutputFiles(Path.Combine(run, InitScript.OutputDirectory)),
            ReadOrEmpty(Path.Combine(run, InitScript.Background)),
            File.Exists(Path.Combine(run, InitScript.PoweredOff)),
            consoleText,
            elapsed);
    }

    private static Dictionary<string, string> ParseCgroupFiles(string text)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        string? path = null;
        var content = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(InitScript.CgroupFileMark, StringComparison.Ordinal))
            {
                Add();
                path = line[InitScript.CgroupFileMark.Length..];
                content.Clear();
            }
            else if (path is not null)
            {
                content.Add(line);
            }
        }

        Add();
        return files;

        void Add()
        {
            if (path is not null)
            {
                files[path] = string.Join('\n', content).TrimEnd('\n') + "\n";
            }
        }
    }

    private static Dictionary<string, string> ReadOutputFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).ToDictionary(file => Path.GetFileName(file), File.ReadAllText, StringComparer.Ordinal)
            : [];

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private static string Tail(string text)
    {
        var lines = text.TrimEnd().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
    }

    private static string? FindKernel() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "linux.uml"))
            .FirstOrDefault(File.Exists);

    private static string? TrialBoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "user-mode Linux runs on Linux hosts only";
        }

        if (KernelPath is null)
        {
            return "linux.uml is not on the PATH (apt-get install -y user-mode-linux)";
        }

        var trial = new GuestScenario
        {
            Cgroups = [new GuestCgroup("trial") { MemoryMax = 64L << 20 }],
            ProgramCgroup = "trial",
            Program = "/bin/cat",
            Arguments = ["/sys/fs/cgroup/cgroup.controllers", "/sys/fs/cgroup/trial/memory.max"],
            Timeout = TimeSpan.FromSeconds(20),
            CgroupFiles = ["memory.current"],
        };

        try
        {
            // Off any synchronization context: this blocks a test's thread once per process.
            var result = Task.Run(() => RunAsync(trial)).GetAwaiter().GetResult();
            if (!result.PoweredOff || result.ExitCode != 0)
            {
                // UML 6.1 restores a process's registers with the host's XSAVE layout in a fixed buffer;
                // a host CPU with AMX (amx_tile) has a larger one, and the kernel refuses it (EFAULT).
                var diagnosis = result.Console.Contains("ptrace set fp regs failed, errno = 14", StringComparison.Ordinal)
                    ? "this host's XSAVE state (AMX: amx_tile in /proc/cpuinfo) outgrows the buffer user-mode Linux 6.1 restores registers from, so its init dies; "
                    : "";
                return $"a trial boot of {KernelPath} failed: {diagnosis}{result}";
            }

            return result.StandardOutput.Contains("memory", StringComparison.Ordinal) && result.StandardOutput.Contains("67108864", StringComparison.Ordinal)
                ? null
                : $"the trial guest's cgroup v2 has no working memory controller: {result.StandardOutput.Trim()}";
        }
        catch (Exception e) when (e is InvalidOperationException or GuestNeverPoweredOffException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return $"a trial boot of {KernelPath} failed: {e.Message}";
        }
    }
}
