namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// What the kernel sources hold in this process: threads named after the watcher, and descriptors of
/// eventfds and of the pressure and cgroup control files, counted from <c>/proc/self</c>.
/// </summary>
internal readonly record struct KernelResources(int WatcherThreads, int EventFds, int ControlFiles)
{
    private static readonly string[] ControlFileNames =
        ["memory.pressure", "cgroup.event_control", "memory.usage_in_bytes", "memory.pressure_level"];

    /// <summary>
    /// Counts until the count is <paramref name="expected"/> or the bound passes: a thread that was
    /// joined has ended its managed work, and leaves <c>/proc/self/task</c> a moment later.
    /// </summary>
    public static KernelResources CountSettled(KernelResources expected, TimeSpan bound)
    {
        var count = Count();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (count != expected && clock.Elapsed < bound)
        {
            Thread.Yield();
            count = Count();
        }

        return count;
    }

    public static KernelResources Count()
    {
        // Linux keeps the first 15 characters of a thread's name.
        var watcherName = MemoryPressure.Reactive.Triggers.Linux.KernelEventWatcher.ThreadName[..15];
        var threads = Directory.EnumerateDirectories("/proc/self/task")
            .Count(task => TryRead(Path.Combine(task, "comm"))?.TrimEnd('\n') == watcherName);
        var targets = Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .OfType<string>()
            .ToList();
        return new KernelResources(
            threads,
            targets.Count(t => t == "anon_inode:[eventfd]"),
            targets.Count(t => t == "/proc/pressure/memory" || ControlFileNames.Contains(Path.GetFileName(t))));
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // the thread ended meanwhile
            return null;
        }
    }
}
