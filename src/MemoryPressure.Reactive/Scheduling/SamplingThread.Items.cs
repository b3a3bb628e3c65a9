using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Scheduling;

/// <content>What the thread's queue holds: reusable alarms and one-shot work.</content>
internal sealed partial class SamplingThread
{
    /// <summary>What the queue holds: work that says whether an entry of it is still to run, and runs it.</summary>
    internal abstract class Item
    {
        /// <summary>Tells whether the entry of order <paramref name="order"/> is still to run; called under the gate.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public abstract bool IsLive(long order);

        /// <summary>Notes that its live entry was taken from the queue to run; called under the gate.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public virtual void Taken()
        {
        }

        /// <summary>Runs the entry taken; on the thread, out of the gate.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public abstract void Run();
    }

    /// <summary>
    /// An alarm: <see cref="Set"/> queues it once more without allocating, and only its last setting
    /// runs (the entries of earlier ones are dropped as they come up). <see cref="PollingClock"/>'s tick
    /// and the watchdogs' timers, set again after each run.
    /// </summary>
    internal sealed class Alarm(SamplingThread thread, Action callback) : Item
    {
        private const long Unset = -1;
        private long _live = Unset;

        /// <summary>Sets the alarm to run in <paramref name="dueTime"/>, in place of any setting not yet run; does nothing once the thread is disposed.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Set(TimeSpan dueTime)
        {
            lock (thread._gate)
            {
                if (!thread._disposed)
                {
                    _live = thread.Enqueue(this, dueTime);
                }
            }
        }

        /// <summary>Cancels the setting not yet run, if any.</summary>
        public void Clear()
        {
            lock (thread._gate)
            {
                _live = Unset;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool IsLive(long order) => order == _live;

        /// <summary>Unsets the alarm as its setting is taken, under the gate the thread already holds: a setting made from here on runs again.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Taken() => _live = Unset;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run() => callback();
    }

    /// <summary>Work and its cancellation: disposing it before it runs drops it; after, disposes what the work returned.</summary>
    /// <remarks>One field set with interlocked exchanges: the cancellation and the result in one place, read by the queue without a lock.</remarks>
    private sealed class Work<TState>(IScheduler scheduler, TState state, Func<IScheduler, TState, IDisposable> action) : Item, IDisposable
    {
        private static readonly IDisposable Disposed = new Dropped();
        private IDisposable? _result;

        private bool IsDisposed => ReferenceEquals(Volatile.Read(ref _result), Disposed);

        public void Dispose()
        {
            var result = Interlocked.Exchange(ref _result, Disposed);
            if (result is not null && !ReferenceEquals(result, Disposed) && !ReferenceEquals(result, Disposable.Empty))
            {
                result.Dispose();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool IsLive(long order) => !IsDisposed;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run()
        {
            if (IsDisposed)
            {
                return;
            }

            var result = action(scheduler, state);
            if (Interlocked.CompareExchange(ref _result, result, null) is not null && !ReferenceEquals(result, Disposable.Empty))
            {
                // Disposed while it ran: what it started goes too.
                result.Dispose();
            }
        }

        private sealed class Dropped : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
