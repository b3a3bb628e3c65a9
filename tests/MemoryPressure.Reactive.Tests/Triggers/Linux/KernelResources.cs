using System.Diagnostics;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// What the kernel sources hold in this process, read from <c>/proc/self</c>: the threads named after
/// the watcher (by id), the eventfds (by the kernel's <c>eventfd-id</c>, which, like a descriptor's
/// number, is reused once closed) and the descriptors of the pressure and cgroup control files (by
/// number and path). Sets, so a test compares what it made, whatever threads or files others hold.
/// </summary>
internal sealed record KernelResources(IReadOnlySet<int> WatcherThreads, IReadOnlySet<string> EventFds, IReadOnlySet<string> ControlFiles)
{
    private static readonly string[] ControlFileNames =
        ["memory.pressure", "cgroup.event_control", "memory.usage_in_bytes", "memory.pressure_level"];

    public bool IsEmpty => WatcherThreads.Count == 0 && EventFds.Count == 0 && ControlFiles.Count == 0;

    public static KernelResources Read()
    {
        // Linux keeps the first 15 characters of a thread's name.
        var watcherName = MemoryPressure.Reactive.Triggers.Linux.KernelEventWatcher.ThreadName[..15];
        var threads = Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => TryRead(Path.Combine(task, "comm"))?.TrimEnd('\n') == watcherName)
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        var descriptors = Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => (Number: Path.GetFileName(fd), Target: new FileInfo(fd).LinkTarget))
            .Where(fd => fd.Target is not null)
            .ToList();
        return new KernelResources(
            threads,
            descriptors.Where(fd => fd.Target == "anon_inode:[eventfd]").Select(fd => EventFdId(fd.Number) ?? $"fd {fd.Number}").ToHashSet(),
            descriptors.Where(fd => fd.Target == "/proc/pressure/memory" || ControlFileNames.Contains(Path.GetFileName(fd.Target)))
                .Select(fd => $"{fd.Number}:{fd.Target}").ToHashSet());
    }

    /// <summary>
    /// Reads until none of <paramref name="held"/> is left or the bound passes: a joined thread has
    /// ended its managed work, and leaves <c>/proc/self/task</c> a moment later.
    /// </summary>
    /// <returns>What of <paramref name="held"/> is still there.</returns>
    public static KernelResources LeftOf(KernelResources held, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = held.Intersect(Read());
            if (left.IsEmpty || clock.Elapsed > bound)
            {
                return left;
            }

            Thread.Yield();
        }
    }

    /// <summary>Gives what this holds that <paramref name="earlier"/> did not.</summary>
    public KernelResources Since(KernelResources earlier) => new(
        WatcherThreads.Except(earlier.WatcherThreads).ToHashSet(),
        EventFds.Except(earlier.EventFds).ToHashSet(),
        ControlFiles.Except(earlier.ControlFiles).ToHashSet());

    public override string ToString() =>
        $"watcher threads [{string.Join(", ", WatcherThreads)}], eventfds [{string.Join(", ", EventFds)}], control files [{string.Join(", ", ControlFiles)}]";

    private KernelResources Intersect(KernelResources other) => new(
        WatcherThreads.Intersect(other.WatcherThreads).ToHashSet(),
        EventFds.Intersect(other.EventFds).ToHashSet(),
        ControlFiles.Intersect(other.ControlFiles).ToHashSet());

    /// <summary>Reads the kernel's id of an eventfd from its <c>fdinfo</c>; <see langword="null"/> before Linux 6.0 or when it was closed meanwhile.</summary>
    private static string? EventFdId(string descriptor) =>
        TryRead($"/proc/self/fdinfo/{descriptor}")?.Split('\n').FirstOrDefault(line => line.StartsWith("eventfd-id:", StringComparison.Ordinal));

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
