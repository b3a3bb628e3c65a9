using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// Requests a sample when a Linux PSI trigger fires: a <c>memory.pressure</c> file opened read-write,
/// the trigger written to it, and <c>poll()</c> waiting for <c>POLLPRI</c>.
/// </summary>
/// <remarks>
/// <para>
/// The process's own v2 cgroup file comes first, then the machine's <c>/proc/pressure/memory</c>.
/// On each, the configured trigger is tried, then (after EINVAL) its fallback with a window that
/// is a multiple of 2 s, which a process without <c>CAP_SYS_RESOURCE</c> needs.
/// </para>
/// <para>
/// The file is never read: reading it updates the kernel's averages, and kept a trigger from firing
/// in tests here. <c>POLLERR</c> means the file is gone (its cgroup was removed): the source stops,
/// the failure is reported, and polling goes on.
/// </para>
/// </remarks>
internal sealed class PressureStallSource(KernelEventWatcher watcher, ITriggerSink sink)
    : KernelTriggerSource(TriggerSource.PressureStall, watcher, sink)
{
    private string Path { get; set; } = "";

    public static PressureStallSource Start(PsiTrigger trigger, CgroupLocation location, KernelEventWatcher watcher, ITriggerSink sink)
    {
        var source = new PressureStallSource(watcher, sink);
        var refusals = new List<string>();
        foreach (var path in (string?[])[location.V2PressurePath, CgroupLocation.MachinePressurePath])
        {
            if (path is not null && TryCreate(path, trigger, refusals, out var descriptor, out var used))
            {
                source.Path = path;
                var refused = refusals.Count > 0 ? $", after {string.Join("; ", refusals)}" : "";
                source.Status.Set(TriggerState.Active, $"\"{used}\" on {path}{refused}");
                watcher.Add(descriptor, Libc.PollPriority, source);
                return source;
            }
        }

        source.Status.Set(TriggerState.Unavailable, string.Join("; ", refusals));
        return source;
    }

    public override void OnEvents(KernelEventWatcher.Watch watch, short events)
    {
        if ((events & (Libc.PollError | Libc.PollHangUp | Libc.PollInvalid)) != 0)
        {
            OnFailed(watch, $"{Path} is gone (poll() returned POLLERR): its cgroup was removed");
        }
        else
        {
            Signal();
        }
    }

    private static bool TryCreate(string path, PsiTrigger trigger, List<string> refusals, out FileDescriptor descriptor, out PsiTrigger used)
    {
        for (PsiTrigger? candidate = trigger; candidate is { } attempt; candidate = attempt.UnprivilegedFallback)
        {
            descriptor = Libc.Open(path, Libc.ReadWrite | Libc.NonBlocking, out var errno);
            if (descriptor.IsInvalid)
            {
                refusals.Add($"{path} cannot be opened for writing: {Libc.Describe(errno)}");
                break;
            }

            errno = Libc.WriteText(descriptor, attempt.ToKernelText());
            if (errno == 0)
            {
                used = attempt;
                return true;
            }

            descriptor.Dispose();
            refusals.Add($"{path} refused \"{attempt}\": {Libc.Describe(errno)}");
            if (errno != Libc.InvalidArgument)
            {
                break;
            }
        }

        descriptor = new FileDescriptor(-1);
        used = default;
        return false;
    }
}
