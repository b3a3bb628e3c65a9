using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// Requests a sample when a memory limit of the process's cgroup or of an ancestor is written: v1
/// <c>memory.limit_in_bytes</c>, v2 <c>memory.max</c> and <c>memory.high</c>. The sample shows the new
/// limit, and the manager follows it (<see cref="MemoryPressureOptions.FollowLimitChanges"/>) at once
/// rather than at the next poll.
/// </summary>
/// <remarks>
/// A write to any file goes through the kernel's VFS, which raises <c>IN_MODIFY</c> for inotify, cgroup
/// files included: measured on this project's machines for v1 (Linux 6.18) and v2 (Linux 6.1 in
/// user-mode Linux). One inotify descriptor holds every watched file; the watcher's thread waits on it.
/// A limit written but unchanged also asks for a sample, which then finds nothing new. Costs nothing at
/// rest: nothing happens until someone writes a limit.
/// </remarks>
internal sealed class LimitWritesSource : KernelTriggerSource
{
    private static readonly string[] V1Files = ["memory.limit_in_bytes"];
    private static readonly string[] V2Files = ["memory.max", "memory.high"];

    private readonly byte[] _inotifyEvents = new byte[4096];
    private readonly HashSet<int> _watches = [];

    private LimitWritesSource(KernelEventWatcher watcher, ITriggerSink sink)
        : base(TriggerSource.LimitWrites, watcher, sink)
    {
    }

    /// <summary>Watches the limit files of the process's memory cgroup and of its ancestors.</summary>
    /// <param name="location">The process's cgroups.</param>
    /// <param name="watcher">The thread that waits on the inotify descriptor.</param>
    /// <param name="sink">Where requests and failures go.</param>
    /// <returns>The source, <see cref="TriggerState.Active"/> or <see cref="TriggerState.Unavailable"/> with the reason.</returns>
    public static LimitWritesSource Start(CgroupLocation location, KernelEventWatcher watcher, ITriggerSink sink)
    {
        var source = new LimitWritesSource(watcher, sink);
        var (directories, names) = location.V1MemoryDirectory is not null
            ? (location.V1DirectoryAndAncestors(), V1Files)
            : (location.V2DirectoryAndAncestors(), V2Files);
        var files = directories.SelectMany(d => names.Select(n => Path.Combine(d, n))).Where(File.Exists).ToList();
        if (files.Count == 0)
        {
            source.Status.Set(TriggerState.Unavailable, "the process has no memory cgroup with a limit file to watch");
            return source;
        }

        var inotify = Libc.InotifyInit(out var errno);
        if (inotify.IsInvalid)
        {
            source.Status.Set(TriggerState.Unavailable, $"inotify_init1 failed: {Libc.Describe(errno)}");
            return source;
        }

        var refused = new List<string>();
        foreach (var file in files)
        {
            var descriptor = Libc.InotifyAddWatch(inotify, file, Libc.InotifyModify, out errno);
            if (descriptor < 0)
            {
                refused.Add($"{file}: {Libc.Describe(errno)}");
                continue;
            }

            source._watches.Add(descriptor);
        }

        if (source._watches.Count == 0)
        {
            inotify.Dispose();
            source.Status.Set(TriggerState.Unavailable, $"no limit file can be watched: {string.Join("; ", refused)}");
            return source;
        }

        var unwatched = refused.Count > 0 ? $"; not watched: {string.Join("; ", refused)}" : "";
        source.Status.Set(TriggerState.Active, $"writes to {string.Join(", ", files.Except(refused))}{unwatched}");
        watcher.Add(inotify, Libc.PollIn, source);
        return source;
    }

    public override void OnEvents(KernelEventWatcher.Watch watch, short events)
    {
        var written = false;
        for (var length = Libc.Read(watch.Descriptor, _inotifyEvents); length > 0; length = Libc.Read(watch.Descriptor, _inotifyEvents))
        {
            // struct inotify_event: int wd, uint32 mask, uint32 cookie, uint32 len, then len bytes of name.
            for (var offset = 0; offset + 16 <= length; offset += 16 + BitConverter.ToInt32(_inotifyEvents, offset + 12))
            {
                var mask = BitConverter.ToUInt32(_inotifyEvents, offset + 4);
                if ((mask & Libc.InotifyIgnored) != 0)
                {
                    // The file is gone with its cgroup.
                    _watches.Remove(BitConverter.ToInt32(_inotifyEvents, offset));
                }
                else
                {
                    written |= (mask & Libc.InotifyModify) != 0;
                }
            }
        }

        if (_watches.Count == 0)
        {
            OnFailed(watch, "every watched limit file is gone: the cgroup was removed");
            return;
        }

        if (written)
        {
            Signal();
        }
    }
}
