namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>
/// What a user-mode Linux guest runs: a cgroup tree, one program in one of its leaves, shell steps
/// beside it, and what is read from the kernel once the program has ended.
/// </summary>
/// <remarks>
/// <para>
/// The guest's root is the host's file system (hostfs), so a program built on the host runs from its
/// host path. The program starts with a clean environment: <c>PATH</c>, <c>HOME</c> and <c>TMPDIR</c>
/// (the run's directory, where the runtime puts its diagnostic sockets), <c>DOTNET_NOLOGO</c>,
/// <c>DOTNET_CLI_TELEMETRY_OPTOUT</c>, <c>UML_RUN_DIRECTORY</c> (the run's directory, also its
/// working directory), <c>UML_OUTPUT_DIRECTORY</c> (files left there come back in
/// <see cref="GuestResult.OutputFiles"/>), then <see cref="Environment"/>.
/// </para>
/// <para>
/// The guest has one CPU, no PSI, and page faults go through the host: anonymous memory grows at
/// about 17 MB/s. Plan limits and times from that.
/// </para>
/// </remarks>
public sealed class GuestScenario
{
    /// <summary>The files read in each cgroup at the end when <see cref="CgroupFiles"/> is not set.</summary>
    public static IReadOnlyList<string> DefaultCgroupFiles { get; } =
        ["memory.current", "memory.peak", "memory.max", "memory.high", "memory.events", "memory.events.local", "memory.stat"];

    /// <summary>Gets the cgroups to make, parents before or after their children (they are made in order of depth).</summary>
    /// <value>The default value is empty: the tree holds <see cref="ProgramCgroup"/> and its ancestors only.</value>
    public IReadOnlyList<GuestCgroup> Cgroups { get; init; } = [];

    /// <summary>Gets the leaf the program is moved into before it starts, relative to <c>/sys/fs/cgroup</c>: <c>pod/app</c>.</summary>
    public required string ProgramCgroup { get; init; }

    /// <summary>Gets the program's path on the host (and so in the guest): <c>/usr/bin/dotnet</c>.</summary>
    public required string Program { get; init; }

    /// <summary>Gets the program's arguments: for <c>dotnet</c>, the assembly and its own arguments.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Gets environment variables of the program's, added to (or replacing) those the runner sets.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets shell commands, each run by <c>/bin/sh</c> as root in the root cgroup and in the background
    /// from the moment the program starts, and killed when it ends:
    /// <c>sleep 5; echo 536870912 > /sys/fs/cgroup/pod/memory.max</c>.
    /// </summary>
    /// <value>The default value is empty.</value>
    /// <remarks>
    /// The steps see <c>UML_RUN_DIRECTORY</c> and <c>UML_PROGRAM_OUTPUT</c> (the file the program's
    /// standard output goes to, written as it runs) to wait for a line of the program's:
    /// <c>until grep -q ready "$UML_PROGRAM_OUTPUT"; do sleep 0.1; done</c>. What they print comes back
    /// in <see cref="GuestResult.BackgroundOutput"/>.
    /// </remarks>
    public IReadOnlyList<string> BackgroundSteps { get; init; } = [];

    /// <summary>Gets how long the program may run in the guest before it is killed (<c>SIGKILL</c>, which a task throttled at <c>memory.high</c> cannot delay).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the names of the files read in each cgroup of the tree after the program has ended.</summary>
    /// <value>The default value is <see cref="DefaultCgroupFiles"/>.</value>
    public IReadOnlyList<string> CgroupFiles { get; init; } = DefaultCgroupFiles;

    /// <summary>Gets the guest's memory, the kernel's <c>mem=</c>.</summary>
    /// <value>The default value is 2 GiB.</value>
    public long GuestMemoryBytes { get; init; } = 2L << 30;
}
