using System.Globalization;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// Requests a sample when a cgroup v2 memory controller counts an event of pressure in
/// <c>memory.events</c>: the process's cgroup, or an ancestor, went over its <c>memory.high</c>
/// (<c>high</c>), reached its <c>memory.max</c> (<c>max</c>), or ran the OOM killer (<c>oom</c>,
/// <c>oom_kill</c>, <c>oom_group_kill</c>).
/// </summary>
/// <remarks>
/// <para>
/// The kernel raises a "file modified" event when a value of <c>memory.events</c> changes, at most once
/// per 10 ms a file, which inotify reports as <c>IN_MODIFY</c> (as runc and the kubelet watch OOMs on
/// cgroup v2). One inotify descriptor holds every watched file; the watcher's thread waits on it, and on
/// each wake the files it names are read again: a sample is requested when one of the counters above
/// grew. <c>low</c> (reclaim below <c>memory.low</c>'s protection) is not pressure on this process's limit.
/// </para>
/// <para>
/// <c>memory.events</c> counts the events of a cgroup's whole subtree, so a limit is heard where it is
/// set: the files watched are those of the process's v2 cgroup and of each ancestor up to the root this
/// process sees that has a <c>memory.high</c> or <c>memory.max</c> other than <c>max</c>. The limit
/// files of the others are watched too (a write raises <c>IN_MODIFY</c>), so a cgroup on the way up
/// that gets a limit while the process runs is watched from then on. The source needs one limited
/// cgroup at the start; a process that later moves to another cgroup is not followed.
/// </para>
/// </remarks>
internal sealed class MemoryEventsSource : KernelTriggerSource
{
    private const string EventsFileName = "memory.events";

    private static readonly string[] LimitFiles = ["memory.max", "memory.high"];

    private readonly Dictionary<int, EventsFile> _files = [];
    private readonly Dictionary<int, string> _unlimited = [];
    private readonly List<string> _watched = [];
    private readonly byte[] _inotifyEvents = new byte[4096];
    private readonly byte[] _text = new byte[512];

    private MemoryEventsSource(KernelEventWatcher watcher, ITriggerSink sink)
        : base(TriggerSource.MemoryEvents, watcher, sink)
    {
    }

    /// <summary>Watches the <c>memory.events</c> of the process's v2 cgroup and of its limited ancestors.</summary>
    /// <param name="location">The process's cgroups.</param>
    /// <param name="watcher">The thread that waits on the inotify descriptor.</param>
    /// <param name="sink">Where requests and failures go.</param>
    /// <returns>The source, <see cref="TriggerState.Active"/> or <see cref="TriggerState.Unavailable"/> with the reason.</returns>
    public static MemoryEventsSource Start(CgroupLocation location, KernelEventWatcher watcher, ITriggerSink sink)
    {
        var source = new MemoryEventsSource(watcher, sink);
        var limited = new List<(string Path, string Limits)>();
        var unlimited = new List<string>();
        var controlled = false;
        foreach (var directory in location.V2DirectoryAndAncestors())
        {
            var events = Path.Combine(directory, EventsFileName);
            if (File.Exists(events))
            {
                controlled = true;
                if (LimitsOf(directory) is { Length: > 0 } limits)
                {
                    limited.Add((events, limits));
                }
                else
                {
                    unlimited.Add(directory);
                }
            }
        }

        if (limited.Count == 0)
        {
            source.Status.Set(TriggerState.Unavailable, location.V2Directory is not { } v2
                ? "the process is in no cgroup v2 hierarchy"
                : controlled
                    ? $"neither {v2} nor an ancestor has a memory.high or memory.max set"
                    : $"{Path.Combine(v2, EventsFileName)} does not exist: the process's v2 cgroup has no memory controller");
            return source;
        }

        source.Watch(limited, unlimited, watcher);
        return source;
    }

    public override void OnEvents(KernelEventWatcher.Watch watch, short events)
    {
        var grew = false;
        List<string>? removed = null;
        for (var length = Libc.Read(watch.Descriptor, _inotifyEvents); length > 0; length = Libc.Read(watch.Descriptor, _inotifyEvents))
        {
            // struct inotify_event: int wd, uint32 mask, uint32 cookie, uint32 len, then len bytes of name.
            for (var offset = 0; offset + 16 <= length; offset += 16 + BitConverter.ToInt32(_inotifyEvents, offset + 12))
            {
                var descriptor = BitConverter.ToInt32(_inotifyEvents, offset);
                if (_unlimited.TryGetValue(descriptor, out var directory))
                {
                    grew |= WatchIfLimited(watch.Descriptor, directory);
                    continue;
                }

                if (!_files.TryGetValue(descriptor, out var file))
                {
                    continue;
                }

                if ((BitConverter.ToUInt32(_inotifyEvents, offset + 4) & Libc.InotifyIgnored) != 0 || !file.Refresh(_text, out var fileGrew, out _))
                {
                    // The file is gone with its cgroup (inotify drops the watch), or cannot be read.
                    _files.Remove(descriptor);
                    (removed ??= []).Add(file.Path);
                    continue;
                }

                grew |= fileGrew;
            }
        }

        if (_files.Count == 0)
        {
            OnFailed(watch, $"{string.Join(", ", removed ?? [])} gone: the cgroup was removed");
            return;
        }

        if (grew)
        {
            Signal();
        }
    }

    /// <summary>Reads which of a cgroup's limits are set: <c>"memory.max 268435456"</c>, or empty (an unreadable limit counts as unset).</summary>
    private static string LimitsOf(string directory)
    {
        var set = new List<string>();
        foreach (var name in LimitFiles)
        {
            try
            {
                if (CgroupValue.TryParseLimit(File.ReadAllBytes(Path.Combine(directory, name)), out var bytes) && bytes > 0)
                {
                    set.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {bytes}"));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not there (the root cgroup has no limits) or not ours to read.
            }
        }

        return string.Join(", ", set);
    }

    /// <summary>Starts watching the events of a cgroup whose limit file was written, once it has a limit; says whether it did.</summary>
    private bool WatchIfLimited(FileDescriptor inotify, string directory)
    {
        if (LimitsOf(directory) is not { Length: > 0 } limits)
        {
            return false;
        }

        // memory.max and memory.high share the directory: forget both watches of it.
        foreach (var other in _unlimited.Where(w => w.Value == directory).Select(w => w.Key).ToList())
        {
            _unlimited.Remove(other);
        }

        var path = Path.Combine(directory, EventsFileName);
        var file = new EventsFile(path);
        var descriptor = file.Refresh(_text, out _, out _) ? Libc.InotifyAddWatch(inotify, path, Libc.InotifyModify, out _) : -1;
        if (descriptor < 0)
        {
            return false;
        }

        _files[descriptor] = file;
        _watched.Add($"{path} ({limits}, set while running)");
        Status.Set(TriggerState.Active, $"high, max and oom events in {string.Join(", ", _watched)}");
        return true;
    }

    private void Watch(List<(string Path, string Limits)> limited, List<string> unlimited, KernelEventWatcher watcher)
    {
        var inotify = Libc.InotifyInit(out var errno);
        if (inotify.IsInvalid)
        {
            Status.Set(TriggerState.Unavailable, $"inotify_init1 failed: {Libc.Describe(errno)}");
            return;
        }

        var watched = _watched;
        var refused = new List<string>();
        foreach (var (path, limits) in limited)
        {
            // Read once first: only what grows after the start counts.
            var file = new EventsFile(path);
            var descriptor = file.Refresh(_text, out _, out errno) ? Libc.InotifyAddWatch(inotify, path, Libc.InotifyModify, out errno) : -1;
            if (descriptor < 0)
            {
                refused.Add($"{path}: {Libc.Describe(errno)}");
                continue;
            }

            _files[descriptor] = file;
            watched.Add($"{path} ({limits})");
        }

        if (_files.Count == 0)
        {
            inotify.Dispose();
            Status.Set(TriggerState.Unavailable, $"memory.events cannot be watched: {string.Join("; ", refused)}");
            return;
        }

        foreach (var directory in unlimited)
        {
            foreach (var name in LimitFiles)
            {
                var path = Path.Combine(directory, name);
                if (File.Exists(path) && Libc.InotifyAddWatch(inotify, path, Libc.InotifyModify, out _) is var limitWatch and >= 0)
                {
                    _unlimited[limitWatch] = directory;
                }
            }
        }

        var unwatched = refused.Count > 0 ? $"; not watched: {string.Join("; ", refused)}" : "";
        Status.Set(TriggerState.Active, $"high, max and oom events in {string.Join(", ", watched)}{unwatched}");
        watcher.Add(inotify, Libc.PollIn, this);
    }

    /// <summary>
    /// One watched <c>memory.events</c> and the counts last read. The file is opened for each read, not
    /// held: an open file would keep its inode, and inotify would not say when its cgroup is removed.
    /// </summary>
    private sealed class EventsFile(string path)
    {
        private readonly long[] _counts = new long[MemoryEventCounts.Count];

        public string Path { get; } = path;

        /// <summary>Reads the counters again.</summary>
        /// <param name="buffer">Where to read the text.</param>
        /// <param name="grew">Whether a counter grew since the last read.</param>
        /// <param name="errno">Why the file cannot be read, when it cannot.</param>
        /// <returns><see langword="false"/> when the file cannot be read (its cgroup is gone).</returns>
        public bool Refresh(byte[] buffer, out bool grew, out int errno)
        {
            grew = false;
            using var descriptor = Libc.Open(Path, Libc.ReadOnly, out errno);
            var length = descriptor.IsInvalid ? -1 : Libc.PRead(descriptor, buffer, 0);
            if (length < 0)
            {
                return false;
            }

            grew = MemoryEventCounts.Update(buffer.AsSpan(0, length), _counts);
            return true;
        }
    }
}
