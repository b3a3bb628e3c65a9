using System.Diagnostics;
using System.Globalization;

namespace CacheUnderLimit.Proof;

/// <summary>
/// A child memory cgroup (v1) with <c>memory.limit_in_bytes</c> set: the kernel charges the child's
/// memory to it and OOM-kills the child when it cannot reclaim enough under the limit.
/// </summary>
internal sealed class CgroupV1MemoryLimit : ChildMemoryLimit
{
    private const string Root = "/sys/fs/cgroup/memory";

    private readonly string _directory;

    private CgroupV1MemoryLimit(string directory, long bytes)
        : base(bytes) => _directory = directory;

    public override string Kind => "cgroup v1 memory limit";

    /// <summary>Says why no v1 memory cgroup can be made here, or <see langword="null"/> when one can.</summary>
    public static string? WhyCannotCreate() =>
        !OperatingSystem.IsLinux() ? "cgroups are Linux only"
        : !Environment.IsPrivilegedProcess ? "making a memory cgroup needs root"
        : !File.Exists(Path.Combine(Root, "memory.limit_in_bytes")) ? $"no cgroup v1 memory controller is mounted at {Root}"
        : null;

    public static CgroupV1MemoryLimit Create(long bytes)
    {
        var directory = Path.Combine(Root, $"cache-under-limit-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var limit = new CgroupV1MemoryLimit(directory, bytes);
        try
        {
            limit.Write("memory.limit_in_bytes", bytes);

            // Where swap is accounted, limit memory and swap together, so the child is killed rather than swapped out.
            if (File.Exists(Path.Combine(directory, "memory.memsw.limit_in_bytes")))
            {
                limit.Write("memory.memsw.limit_in_bytes", bytes);
            }

            return limit;
        }
        catch
        {
            limit.Dispose();
            throw;
        }
    }

    /// <summary>Moves the limit while the child runs, as an operator or Kubernetes' in-place resize does.</summary>
    public void Change(long bytes)
    {
        // The memory-and-swap limit may never be below the memory limit: raise it first, lower it last.
        var memsw = File.Exists(Path.Combine(_directory, "memory.memsw.limit_in_bytes"));
        if (memsw && bytes > Bytes)
        {
            Write("memory.memsw.limit_in_bytes", bytes);
        }

        Write("memory.limit_in_bytes", bytes);
        if (memsw && bytes < Bytes)
        {
            Write("memory.memsw.limit_in_bytes", bytes);
        }
    }

    /// <summary>Starts the program through a shell that first moves itself into the cgroup, so every byte is charged.</summary>
    public override Process Start(string fileName, IEnumerable<string> arguments)
    {
        return Process.Start(Redirected("/bin/sh", ["-c", $"echo $$ > '{Path.Combine(_directory, "cgroup.procs")}' && exec \"$0\" \"$@\"", fileName, .. arguments]))!;
    }

    /// <summary>Reads <c>oom_kill</c> of <c>memory.oom_control</c>.</summary>
    public override int? KernelOomKills() =>
        File.ReadLines(Path.Combine(_directory, "memory.oom_control"))
            .Select(line => line.Split(' '))
            .Where(parts => parts is ["oom_kill", _])
            .Select(parts => (int?)int.Parse(parts[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();

    protected override void Dispose(bool disposing)
    {
        // Kill what is left inside, then remove the directory: the kernel refuses rmdir until the
        // last task has gone, which takes a moment after SIGKILL.
        var deadline = Stopwatch.StartNew();
        while (Directory.Exists(_directory))
        {
            try
            {
                foreach (var line in File.ReadAllLines(Path.Combine(_directory, "cgroup.procs")))
                {
                    KillIfRunning(int.Parse(line, CultureInfo.InvariantCulture));
                }

                Directory.Delete(_directory);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Yield();
            }
        }
    }

    private void Write(string file, long value) =>
        File.WriteAllText(Path.Combine(_directory, file), value.ToString(CultureInfo.InvariantCulture));
}
