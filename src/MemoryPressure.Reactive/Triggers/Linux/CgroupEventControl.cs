using System.Globalization;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// A cgroup v1 memory controller's <c>cgroup.event_control</c>: writing "&lt;eventfd&gt; &lt;fd of a
/// control file&gt; &lt;arguments&gt;" asks the kernel to signal the eventfd on that file's events;
/// closing the eventfd cancels the registration.
/// </summary>
/// <remarks>
/// The kernel also signals every registered eventfd once when the cgroup is removed. A
/// signal is therefore checked with <see cref="Acknowledge"/>, which reads
/// <c>memory.usage_in_bytes</c> through a descriptor kept open: a removed cgroup's files answer ENODEV.
/// </remarks>
internal sealed class CgroupEventControl : IDisposable
{
    private readonly FileDescriptor _control;

    private CgroupEventControl(string directory, FileDescriptor control, FileDescriptor usage)
    {
        Directory = directory;
        _control = control;
        Usage = usage;
    }

    /// <summary>Gets the cgroup's directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the path of <c>memory.usage_in_bytes</c>, the file usage thresholds watch.</summary>
    public string UsagePath => Path.Combine(Directory, "memory.usage_in_bytes");

    /// <summary>Gets <c>memory.usage_in_bytes</c>, held open.</summary>
    public FileDescriptor Usage { get; }

    /// <summary>Opens the cgroup's control files.</summary>
    /// <returns>The cgroup, or <see langword="null"/> with <paramref name="reason"/> when it has no writable <c>cgroup.event_control</c>.</returns>
    public static CgroupEventControl? TryOpen(string directory, out string reason)
    {
        var controlPath = Path.Combine(directory, "cgroup.event_control");
        var control = Libc.Open(controlPath, Libc.WriteOnly, out var errno);
        if (control.IsInvalid)
        {
            reason = $"{controlPath} cannot be opened for writing: {Libc.Describe(errno)}";
            return null;
        }

        var usagePath = Path.Combine(directory, "memory.usage_in_bytes");
        var usage = Libc.Open(usagePath, Libc.ReadOnly, out errno);
        if (usage.IsInvalid)
        {
            control.Dispose();
            reason = $"{usagePath} cannot be opened: {Libc.Describe(errno)}";
            return null;
        }

        reason = "";
        return new CgroupEventControl(directory, control, usage);
    }

    /// <summary>Registers a new eventfd for the events of <paramref name="target"/>.</summary>
    /// <returns>The eventfd, or an invalid descriptor with <paramref name="errno"/> set.</returns>
    public FileDescriptor Register(FileDescriptor target, string arguments, out int errno)
    {
        var eventFd = Libc.EventFd(out errno);
        if (eventFd.IsInvalid)
        {
            return eventFd;
        }

        errno = Libc.WriteText(_control, string.Create(CultureInfo.InvariantCulture, $"{eventFd.Value} {target.Value} {arguments}"));
        if (errno != 0)
        {
            eventFd.Dispose();
            return new FileDescriptor(-1);
        }

        return eventFd;
    }

    /// <summary>Resets a signalled eventfd and tells whether the cgroup still exists (the signal was an event, not its removal).</summary>
    public bool Acknowledge(FileDescriptor eventFd)
    {
        Libc.Drain(eventFd);
        return Libc.CanRead(Usage);
    }

    public void Dispose()
    {
        _control.Dispose();
        Usage.Dispose();
    }
}
