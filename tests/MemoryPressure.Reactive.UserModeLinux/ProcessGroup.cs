using System.Globalization;
using System.Runtime.InteropServices;

namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>
/// The host processes of one guest: <c>linux.uml</c> runs in a session of its own (started by
/// <c>setsid</c>, so its id is the session's and the group's), and every helper it forks (one host
/// process per guest address space, the I/O threads) stays in that group.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Gets the live processes (zombies aside: they hold nothing) of a group or session, read from <c>/proc/*/stat</c>.</summary>
    /// <param name="group">The group's (and session's) id.</param>
    /// <returns>Their ids.</returns>
    public static List<int> Members(int group)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }

            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 3 && fields[0] != "Z"
                && (fields[2] == group.ToString(CultureInfo.InvariantCulture) || fields[3] == group.ToString(CultureInfo.InvariantCulture)))
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>Kills the group's leader and every member with <c>SIGKILL</c>, and waits until none is left.</summary>
    /// <param name="group">The group's (and session's) id, the leader's.</param>
    /// <param name="bound">How long to wait for them to go.</param>
    /// <returns>The ids of the processes still alive at the end of the bound: empty when all went.</returns>
    public static async Task<List<int>> EndAsync(int group, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        _ = Kill(-group, SigKill);
        _ = Kill(group, SigKill);
        while (true)
        {
            var members = Members(group);
            if (members.Count == 0 || DateTime.UtcNow > deadline)
            {
                return members;
            }

            foreach (var member in members)
            {
                _ = Kill(member, SigKill);
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
