using System.Diagnostics;
using System.Globalization;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// A child cgroup v1 memory cgroup made for one test: processes started in it, killed and the
/// cgroup removed on dispose, so no test leaves a cgroup or a process behind.
/// </summary>
internal sealed class TemporaryMemoryCgroup : IDisposable
{
    private const string V1MemoryRoot = "/sys/fs/cgroup/memory";

    private readonly List<TemporaryMemoryCgroup> _children = [];

    private TemporaryMemoryCgroup(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Says why no v1 memory cgroup can be made here, or <see langword="null"/> when one can.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "cgroups are Linux only";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating a memory cgroup needs root";
        }

        if (!File.Exists(Path.Combine(V1MemoryRoot, "cgroup.procs")) || !File.Exists(Path.Combine(V1MemoryRoot, "memory.limit_in_bytes")))
        {
            return $"no cgroup v1 memory controller is mounted at {V1MemoryRoot}";
        }

        return null;
    }

    /// <summary>Makes a memory cgroup with a limit; the caller has checked <see cref="WhyUnavailable"/>.</summary>
    public static TemporaryMemoryCgroup Create(long limitBytes)
    {
        var directory = Path.Combine(V1MemoryRoot, $"mpr-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var cgroup = new TemporaryMemoryCgroup(directory);
        try
        {
            cgroup.Write("memory.limit_in_bytes", limitBytes);
            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    /// <summary>Makes a child of this cgroup with no limit of its own, removed before this one.</summary>
    public TemporaryMemoryCgroup CreateChild()
    {
        var child = new TemporaryMemoryCgroup(Path.Combine(Directory, $"child-{_children.Count}"));
        System.IO.Directory.CreateDirectory(child.Directory);
        _children.Add(child);
        return child;
    }

    public long Read(string file) => long.Parse(File.ReadAllText(Path.Combine(Directory, file)), CultureInfo.InvariantCulture);

    public void Write(string file, long value) =>
        File.WriteAllText(Path.Combine(Directory, file), value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Moves this very process into the cgroup; <see cref="MoveOut"/> (or disposal) moves it back.</summary>
    public void MoveIn()
    {
        // Learn where to come back to before leaving.
        _ = OriginalCgroup.Value;
        File.WriteAllText(Path.Combine(Directory, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Moves a process back to the memory cgroup this test run started in.</summary>
    public static void MoveOut(int pid) =>
        File.WriteAllText(Path.Combine(V1MemoryRoot + OriginalCgroup.Value, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>The v1 memory cgroup of this process when the tests started.</summary>
    private static readonly Lazy<string> OriginalCgroup = new(() =>
        File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':')).First(f => f[1].Split(',').Contains("memory"))[2].TrimEnd('/'));

    /// <summary>Starts a program inside the cgroup (moved there before it runs), with standard input, output and error redirected.</summary>
    public Process Start(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"echo $$ > '{Path.Combine(Directory, "cgroup.procs")}' && exec \"$0\" \"$@\"");
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }

        // Kill what is left inside, then remove the directory; the kernel refuses rmdir until the
        // last task has gone, which takes a moment after SIGKILL.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                foreach (var line in File.ReadAllLines(Path.Combine(Directory, "cgroup.procs")))
                {
                    var pid = int.Parse(line, CultureInfo.InvariantCulture);
                    if (pid == Environment.ProcessId)
                    {
                        // A test that moved itself in and failed to move out: leave, never kill the test run.
                        MoveOut(pid);
                        continue;
                    }

                    try
                    {
                        Process.GetProcessById(pid).Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        // gone already
                    }
                }

                System.IO.Directory.Delete(Directory);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Yield();
            }
        }
    }
}
