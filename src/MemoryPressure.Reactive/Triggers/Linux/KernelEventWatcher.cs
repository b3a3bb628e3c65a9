using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Triggers.Linux;

/// <summary>
/// One dedicated thread that waits in <c>poll()</c> on the kernel descriptors of a manager's trigger
/// sources (PSI trigger files for <c>POLLPRI</c>, eventfds for <c>POLLIN</c>) and on an eventfd of its
/// own, through which a change of the set or a disposal wakes it.
/// </summary>
/// <remarks>
/// <para>
/// A descriptor that signalled is left out of the poll set for a quiet period (the coalescing gap):
/// a storm of kernel events (<c>memory.pressure_level</c> fires for every reclaim window) costs at
/// most one wake-up per source per period, and the eventfd counter keeps what happened meanwhile,
/// so the next poll after the period reports it. The period is real time: it limits wake-ups of a
/// real kernel, while the requests it lets through are timed on the manager's scheduler.
/// </para>
/// <para>
/// The thread owns the descriptors it was given: it closes removed ones after its poll returns (so
/// a number is never reused under a poll in progress) and all of them when it ends. The steady-state
/// loop allocates nothing. Handlers run on the thread and must neither block nor throw.
/// </para>
/// </remarks>
internal sealed class KernelEventWatcher : IDisposable
{
    /// <summary>The thread's name; Linux shows its first 15 characters.</summary>
    public const string ThreadName = "MemoryPressure kernel events";

    private readonly Lock _gate = new();
    private readonly List<Watch> _watches = [];
    private readonly FileDescriptor _wake;
    private readonly long _quietMilliseconds;
    private readonly Thread _thread;
    private bool _stopping;

    /// <summary>Starts the thread.</summary>
    /// <param name="quietPeriod">How long a descriptor that signalled is left out of the poll set.</param>
    /// <exception cref="IOException">No eventfd could be made.</exception>
    public KernelEventWatcher(TimeSpan quietPeriod)
    {
        _wake = Libc.EventFd(out var errno);
        if (_wake.IsInvalid)
        {
            throw new IOException($"eventfd failed: {Libc.Describe(errno)}");
        }

        _quietMilliseconds = (long)Math.Ceiling(quietPeriod.TotalMilliseconds);
        _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
        _thread.UnsafeStart();
    }

    /// <summary>Watches a descriptor, which the watcher owns from now on.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="events">The <c>poll()</c> events to wait for.</param>
    /// <param name="handler">What to call, on the watcher's thread, with the events returned.</param>
    /// <returns>The watch, to remove it.</returns>
    public Watch Add(FileDescriptor descriptor, short events, IKernelEventHandler handler)
    {
        var watch = new Watch(descriptor, events, handler);
        lock (_gate)
        {
            if (_stopping)
            {
                descriptor.Dispose();
                return watch;
            }

            _watches.Add(watch);
            Libc.Signal(_wake);
        }

        return watch;
    }

    /// <summary>Stops watching a descriptor; the thread closes it.</summary>
    public void Remove(Watch watch)
    {
        lock (_gate)
        {
            watch.IsRemoved = true;
            if (!_stopping)
            {
                Libc.Signal(_wake);
            }
        }
    }

    /// <summary>Wakes the thread, waits for it to end (unless called on it) and so closes every descriptor.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Libc.Signal(_wake);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        var descriptors = new Libc.PollDescriptor[8];
        var polled = new Watch[8];
        while (true)
        {
            int count, timeout;
            lock (_gate)
            {
                if (_stopping)
                {
                    break;
                }

                CloseRemoved();
                count = Prepare(ref descriptors, ref polled, Environment.TickCount64, out timeout);
            }

            var ready = Libc.Poll(descriptors.AsSpan(0, count), timeout, out var errno);
            if (ready < 0 && errno != Libc.Interrupted)
            {
                // Nothing to wait on any more (a descriptor went bad under us): every source is gone.
                Abandon(count, polled, errno);
                break;
            }

            if (ready <= 0)
            {
                continue;
            }

            if (descriptors[0].ReturnedEvents != 0)
            {
                Libc.Drain(_wake);
            }

            var now = Environment.TickCount64;
            for (var i = 1; i < count; i++)
            {
                var returned = descriptors[i].ReturnedEvents;
                var watch = polled[i];
                if (returned != 0 && !watch.IsRemoved)
                {
                    watch.QuietUntil = now + _quietMilliseconds;
                    try
                    {
                        watch.Handler.OnEvents(watch, returned);
                    }
                    catch (Exception e)
                    {
                        // A source that cannot handle its signal fails alone: this thread and the other sources go on.
                        watch.Handler.OnFailed(watch, e.Message);
                    }
                }
            }
        }

        lock (_gate)
        {
            // Stopping for good, also when poll() failed: no one signals the closed wake eventfd.
            _stopping = true;
            foreach (var watch in _watches)
            {
                watch.Descriptor.Dispose();
            }

            _watches.Clear();
            _wake.Dispose();
        }
    }

    private void CloseRemoved()
    {
        for (var i = _watches.Count - 1; i >= 0; i--)
        {
            if (_watches[i].IsRemoved)
            {
                _watches[i].Descriptor.Dispose();
                _watches.RemoveAt(i);
            }
        }
    }

    /// <summary>Fills the poll set: the wake eventfd first, then every watch out of its quiet period.</summary>
    /// <returns>The number of descriptors; <paramref name="timeout"/> is the time to the end of the first quiet period, or -1.</returns>
    private int Prepare(ref Libc.PollDescriptor[] descriptors, ref Watch[] polled, long now, out int timeout)
    {
        if (descriptors.Length <= _watches.Count)
        {
            descriptors = new Libc.PollDescriptor[_watches.Count * 2];
            polled = new Watch[_watches.Count * 2];
        }

        descriptors[0] = new Libc.PollDescriptor { Descriptor = _wake.Value, Events = Libc.PollIn };
        var count = 1;
        timeout = -1;
        foreach (var watch in _watches)
        {
            var quiet = watch.QuietUntil - now;
            if (quiet > 0)
            {
                timeout = timeout < 0 ? (int)quiet : Math.Min(timeout, (int)quiet);
                continue;
            }

            descriptors[count] = new Libc.PollDescriptor { Descriptor = watch.Descriptor.Value, Events = watch.Events };
            polled[count++] = watch;
        }

        return count;
    }

    private static void Abandon(int count, Watch[] polled, int errno)
    {
        for (var i = 1; i < count; i++)
        {
            polled[i].Handler.OnFailed(polled[i], $"poll() failed: {Libc.Describe(errno)}");
        }
    }

    /// <summary>One watched descriptor.</summary>
    internal sealed class Watch(FileDescriptor descriptor, short events, IKernelEventHandler handler)
    {
        private volatile bool _isRemoved;

        public FileDescriptor Descriptor { get; } = descriptor;

        public short Events { get; } = events;

        public IKernelEventHandler Handler { get; } = handler;

        /// <summary>Gets or sets when (<see cref="Environment.TickCount64"/>) the watch's quiet period ends; the thread's alone.</summary>
        public long QuietUntil { get; set; }

        /// <summary>Gets or sets whether the watch was removed; the thread closes its descriptor at its next turn.</summary>
        public bool IsRemoved
        {
            get => _isRemoved;
            set => _isRemoved = value;
        }
    }
}
