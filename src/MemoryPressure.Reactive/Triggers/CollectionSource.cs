using System.Runtime.ConstrainedExecution;

namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// Requests a sample after garbage collections: after each full (generation 2) one, blocking or
/// background (<see cref="TriggerSource.Gen2Collection"/>), or after every one, of any generation
/// (<see cref="TriggerSource.Collection"/>).
/// </summary>
/// <remarks>
/// <para>
/// An unreachable finalizable object is finalized after the first collection of the generation it
/// lives in. For full collections it re-registers itself for finalization: promoted to generation 2,
/// it is finalized after every full collection (the runtime's own <c>Gen2GcCallback</c> pattern), and
/// compares <see cref="GC.CollectionCount(int)"/> of generation 2 with what it saw last, so the gen0
/// and gen1 collections that finalize it while it is young request nothing. For every collection it
/// makes its successor instead, a new object in generation 0, which every collection condemns: the
/// measured rate is one callback per collection. At rest nothing is collected, and nothing runs.
/// </para>
/// <para>
/// The finalizer thread only counts and queues a work item (once until it runs): the request itself,
/// and so any scheduler and user code, runs on the thread pool. The sample taken then reads the
/// probe afresh; for a background collection, <see cref="GC.GetGCMemoryInfo()"/> read inside the
/// finalizer could still describe the previous collection, and is not read here.
/// </para>
/// </remarks>
internal sealed class CollectionSource : IThreadPoolWorkItem, IDisposable
{
    private readonly ITriggerSink _sink;
    private readonly TriggerSource _source;
    private int _queued;
    private volatile bool _disposed;

    private CollectionSource(ITriggerSink sink, TriggerSource source)
    {
        _sink = sink;
        _source = source;
        Status = new SourceStatus(source);
        Status.Set(TriggerState.Active, EveryCollection
            ? "a finalizable object in generation 0 that makes its successor after each collection"
            : "a finalizer re-registered after each collection, filtered on GC.CollectionCount(2)");
    }

    public SourceStatus Status { get; }

    private bool EveryCollection => _source == TriggerSource.Collection;

    /// <summary>Starts the source.</summary>
    /// <param name="sink">Where requests go.</param>
    /// <param name="source"><see cref="TriggerSource.Gen2Collection"/> or <see cref="TriggerSource.Collection"/>.</param>
    public static CollectionSource Start(ITriggerSink sink, TriggerSource source)
    {
        var collections = new CollectionSource(sink, source);
        _ = new Callback(collections);
        return collections;
    }

    /// <summary>Stops the requests; the callback object lets itself die at the next collection.</summary>
    public void Dispose() => _disposed = true;

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _queued, 0);
        if (!_disposed)
        {
            _sink.Request(_source);
        }
    }

    /// <summary>Called on the finalizer thread after a collection the source signals.</summary>
    /// <returns><see langword="false"/> once disposed: the callback lets itself die.</returns>
    private bool OnCollection()
    {
        if (_disposed)
        {
            return false;
        }

        Status.Signal();
        if (Interlocked.Exchange(ref _queued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <summary>The object that is finalized after a collection and brings itself, or a successor, back.</summary>
    private sealed class Callback : CriticalFinalizerObject
    {
        private readonly CollectionSource _source;
        private int _gen2Count;

        public Callback(CollectionSource source)
        {
            _source = source;
            _gen2Count = GC.CollectionCount(2);
        }

        ~Callback()
        {
            if (_source.EveryCollection)
            {
                if (_source.OnCollection())
                {
                    _ = new Callback(_source);
                }

                return;
            }

            var count = GC.CollectionCount(2);
            if (count != _gen2Count)
            {
                _gen2Count = count;
                if (!_source.OnCollection())
                {
                    return;
                }
            }
            else if (_source._disposed)
            {
                return;
            }

            GC.ReRegisterForFinalize(this);
        }
    }
}
