using System.Diagnostics;
using CacheUnderLimit.Child;
using MemoryPressure.Reactive;

namespace CacheUnderLimit.Ramp;

/// <summary>
/// One child of the ramp proofs: a managed cache that grows at a steady rate (or as fast as the
/// machine allocates), emptied each time a one-level ladder is entered, until it has allocated
/// several times its limit. A control child has no manager and must die.
/// </summary>
internal static class RampChild
{
    private const int ChunkBytes = 64 * 1024;
    private const int PageBytes = 4096;

    /// <param name="condition">The ladder's one condition, in the text form.</param>
    /// <param name="signals">Which push signals the manager may use.</param>
    /// <param name="bytesPerSecond">How fast the cache grows; 0 for as fast as the machine allocates.</param>
    /// <param name="totalBytes">How much it allocates in all before it ends.</param>
    /// <param name="checkInterval">How often the manager polls.</param>
    /// <param name="guard">How the child is guarded: <see cref="RampGuard.Empty"/> only empties the cache, <see cref="RampGuard.EmptyAndCollect"/> also forces a collection, <see cref="RampGuard.None"/> has no manager.</param>
    public static int Run(MemoryCondition condition, RampSignals signals, double bytesPerSecond, long totalBytes, TimeSpan checkInterval, RampGuard guard)
    {
        var events = new ChildEventWriter(Console.Out);
        var start = MemoryProbe.Default.Read();
        events.Write(new ChildStarted(events.Seconds, start.ProcessLimitBytes, start.ProcessLimitSource.ToString(), start.GcHeapHardLimitBytes));
        var cache = new List<byte[]>();
        var gate = new Lock();
        using var watcher = guard == RampGuard.None ? null : new CrossingWatcher(condition);
        using var manager = guard == RampGuard.None ? null : new MemoryPressureManager(new SeverityLadder(condition), new MemoryPressureOptions { CheckInterval = checkInterval, Triggers = signals.Triggers() });
        if (manager is not null)
        {
            manager.Errors.Subscribe(error => Console.Error.WriteLine(error));
            manager.Entered(1).Subscribe(step =>
            {
                var latency = watcher!.Entered();
                lock (gate)
                {
                    cache.Clear();
                }

                events.Write(new ChildLevelChanged(events.Seconds, step.From, step.To, condition.ToString()!, step.Sample.ProcessResidentBytes));
                events.Write(new ChildDetected(events.Seconds, latency.TotalMilliseconds));
            });
            if (guard == RampGuard.EmptyAndCollect)
            {
                manager.InstallForceGcCollect(1);
            }

            // The ramp starts once the manager has run a while, as in a service that has been up for some time.
            Thread.Sleep(300);
        }

        var clock = Stopwatch.StartNew();
        for (long allocated = 0; allocated < totalBytes;)
        {
            var due = bytesPerSecond > 0 ? Math.Min(totalBytes, (long)(clock.Elapsed.TotalSeconds * bytesPerSecond)) : totalBytes;
            for (; allocated < due; allocated += ChunkBytes)
            {
                var chunk = new byte[ChunkBytes];
                for (var page = 0; page < ChunkBytes; page += PageBytes)
                {
                    chunk[page] = 1;
                }

                lock (gate)
                {
                    cache.Add(chunk);
                }
            }

            if (bytesPerSecond > 0)
            {
                Thread.Sleep(1);
            }
        }

        events.Write(new ChildFinished(events.Seconds));
        return 0;
    }

    /// <summary>
    /// The ground truth of detection latency: a thread that reads the probe every millisecond and notes
    /// when the condition first holds; the manager's entry is measured from then. After an entry it
    /// waits for the condition to stop holding (the cache emptied and collected) before it notes again,
    /// so the memory not yet freed after one entry is not taken for the next crossing.
    /// </summary>
    private sealed class CrossingWatcher : IDisposable
    {
        private readonly Thread _thread;
        private readonly MemoryCondition _condition;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _heldSince = -1;
        private volatile bool _armed;
        private volatile bool _stopped;

        public CrossingWatcher(MemoryCondition condition)
        {
            _condition = condition;
            _thread = new Thread(Watch) { IsBackground = true, Name = "crossing watcher", Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        /// <summary>Gets the time from the first reading that held to now (zero when the manager saw it first), and starts watching again.</summary>
        public TimeSpan Entered()
        {
            _armed = false;
            var since = Interlocked.Exchange(ref _heldSince, -1);
            return since < 0 ? TimeSpan.Zero : _clock.Elapsed - TimeSpan.FromTicks(since);
        }

        public void Dispose()
        {
            _stopped = true;
            _thread.Join();
        }

        private void Watch()
        {
            var probe = MemoryProbe.Default;
            while (!_stopped)
            {
                if (!_condition.CanFire(probe.Read()))
                {
                    _armed = true;
                }
                else if (_armed)
                {
                    Interlocked.CompareExchange(ref _heldSince, _clock.Elapsed.Ticks, -1);
                }

                Thread.Sleep(1);
            }
        }
    }
}
