using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Probes.Linux;

namespace MemoryPressure.Reactive.Scheduling;

/// <summary>
/// The manager's own scheduler: one background thread that runs the work given to it in order of
/// due time, and sleeps in between: on Linux in <c>poll()</c> on an eventfd with a timeout, elsewhere
/// with a timed wait on a monitor.
/// </summary>
/// <remarks>
/// <para>
/// What it saves over Rx's <see cref="EventLoopScheduler"/>, measured at rest: that one times
/// delayed work with a thread-pool timer, whose callback wakes a pool worker that spins
/// (<c>sched_yield</c>) before it sleeps again, to release the loop thread from a semaphore that spins
/// too. Here a tick is one wake-up of one thread, and nothing else runs.
/// </para>
/// <para>
/// Due times are kept on the monotonic clock (<see cref="Stopwatch"/>), so a step of the wall clock
/// neither stops nor hurries the work; <see cref="Now"/> (the wall clock) only stamps samples. Work
/// that throws ends the thread's loop as any unhandled exception would: the manager's work never
/// throws. Work scheduled after disposal is dropped.
/// </para>
/// <para>
/// Measured at rest here (a thread that waits one second at a time, CPU time per wake-up): 62 µs in
/// <c>poll()</c>, 102 µs in <see cref="Monitor.Wait(object, int)"/>, whose runtime wait costs a
/// second futex call and its own bookkeeping. Where no eventfd can be made, the monitor serves.
/// </para>
/// <para>
/// It is a plain <see cref="IScheduler"/>, not a <see cref="LocalScheduler"/>: that one registers
/// with Rx's system clock monitor, and its clock goes through three more calls. The methods a tick
/// runs are compiled optimised at their first call, so none is compiled again once it has been called
/// thirty times (tiered compilation), in the middle of a service's rest.
/// </para>
/// </remarks>
internal sealed partial class SamplingThread : IScheduler, IDisposable
{
    /// <summary>The nice value the thread asks for on Linux: the weight of about nine threads at the default 0.</summary>
    internal const int Nice = -10;

    // A wait of at most a day at a time: poll() and Monitor.Wait take milliseconds as an int.
    private const double MaximumWaitMilliseconds = 24 * 60 * 60 * 1000;

    // A monitor, not a Lock: without an eventfd the thread waits on it with a timeout and is pulsed when earlier work arrives.
    private readonly object _gate = new();
    private readonly DueQueue<Item> _queue = new();
    private readonly FileDescriptor? _wake;
    private bool _waiting;
    private bool _disposed;

    /// <summary>Starts the thread, named <paramref name="name"/>.</summary>
    public SamplingThread(string name)
        : this(name, kernelWait: true)
    {
    }

    /// <summary>Starts the thread, waiting in <c>poll()</c> on Linux when <paramref name="kernelWait"/> is set, else on the monitor (tests take both).</summary>
    internal SamplingThread(string name, bool kernelWait)
    {
        if (kernelWait && OperatingSystem.IsLinux())
        {
            var wake = Libc.EventFd(out _);
            if (wake.IsInvalid)
            {
                wake.Dispose();
            }
            else
            {
                _wake = wake;
            }
        }

        new Thread(Loop) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Gets whether the thread waits in <c>poll()</c> on an eventfd rather than on a monitor.</summary>
    internal bool WaitsInKernel => _wake is not null;

    /// <summary>Gets the wall clock's time.</summary>
    public DateTimeOffset Now
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get => DateTimeOffset.UtcNow;
    }

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => Schedule(state, TimeSpan.Zero, action);

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => Schedule(state, dueTime - Now, action);

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var item = new Work<TState>(this, state, action);
        lock (_gate)
        {
            if (_disposed)
            {
                item.Dispose();
                return item;
            }

            Enqueue(item, dueTime);
        }

        return item;
    }

    /// <summary>Creates an alarm: work that runs <paramref name="callback"/> on this thread each time it is set, with nothing allocated per setting.</summary>
    public Alarm CreateAlarm(Action callback) => new(this, callback);

    /// <summary>Ends the thread once the work running now, if any, returns; the work still queued is dropped.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // The thread sees the flag under the gate, after this one signal, and only then closes the eventfd.
            _disposed = true;
            _queue.Clear();
            Wake();
        }
    }

    /// <summary>Queues an item, waking the thread when it waits for a later one; called under the gate.</summary>
    /// <returns>The entry's order, which tells this setting of the item from its others.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Enqueue(Item item, TimeSpan dueTime)
    {
        var due = Stopwatch.GetTimestamp() + (long)(Math.Max(dueTime.Ticks, 0) * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));

        // Only a waiting thread needs waking: one that runs work now (at rest, the tick that
        // schedules its successor) looks at the queue again before it waits.
        var first = _queue.Count == 0 || due < _queue.Head.Due;
        var order = _queue.Enqueue(item, due);
        if (first && _waiting)
        {
            Wake();
        }

        return order;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop()
    {
        RaisePriority();
        while (Next() is { } item)
        {
            item.Run();
        }

        _wake?.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Item? Next()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                if (_queue.Count == 0)
                {
                    Wait(Timeout.Infinite);
                }
                else if (!_queue.Head.Item.IsLive(_queue.Head.Order))
                {
                    _queue.Dequeue();
                }
                else if (_queue.Head.Due - Stopwatch.GetTimestamp() is var wait && wait > 0)
                {
                    // Whole milliseconds, rounded up: a wait of less than one would return at once, and the
                    // thread would spin through the last millisecond before every item.
                    Wait((int)Math.Ceiling(Math.Min(wait * 1000.0 / Stopwatch.Frequency, MaximumWaitMilliseconds)));
                }
                else
                {
                    var item = _queue.Dequeue();
                    item.Taken();
                    return item;
                }
            }

            return null;
        }
    }

    /// <summary>Waits on the gate, held, for a pulse or <paramref name="milliseconds"/>; <see cref="Schedule{TState}(TState, TimeSpan, Func{IScheduler, TState, IDisposable})"/> pulses only while this waits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Wait(int milliseconds)
    {
        _waiting = true;
        if (_wake is { } wake)
        {
            // Out of the gate while it polls: work scheduled meanwhile sees the thread waiting and
            // signals the eventfd, which stays readable until drained, so no signal is lost.
            Monitor.Exit(_gate);
            try
            {
                Span<Libc.PollDescriptor> polled = [new Libc.PollDescriptor { Descriptor = wake.Value, Events = Libc.PollIn }];
                if (Libc.Poll(polled, milliseconds, out _) > 0)
                {
                    Libc.Drain(wake);
                }
            }
            finally
            {
                Monitor.Enter(_gate);
            }
        }
        else
        {
            Monitor.Wait(_gate, milliseconds);
        }

        _waiting = false;
    }

    /// <summary>Wakes the waiting thread; called under the gate.</summary>
    private void Wake()
    {
        if (_wake is { } wake)
        {
            Libc.Signal(wake);
        }
        else
        {
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// Gives the thread a nice value of <see cref="Nice"/> on Linux, where the kernel allows it (root, or
    /// <c>CAP_SYS_NICE</c>); elsewhere, or when refused, it keeps the default.
    /// </summary>
    /// <remarks>
    /// Under load the thread competes with every busy thread of the service for the cores. Measured in
    /// the service proof (2 cores, 64 clients, traced samples): while it judged one sample, it waited
    /// 88 to 90 ms for a core, and the heap grew from 104 MiB to the GC's cap meanwhile. The thread
    /// sleeps between samples, so the higher weight only counts while it reads and dispatches.
    /// Handlers run on it, at the same weight.
    /// </remarks>
    private static void RaisePriority()
    {
        if (OperatingSystem.IsLinux())
        {
            // Refused, the thread keeps the default: nothing to report, sampling works the same.
            _ = Libc.TrySetThreadNice(Nice);
        }
    }
}
