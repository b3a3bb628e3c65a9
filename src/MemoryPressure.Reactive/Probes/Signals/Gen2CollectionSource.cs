using System.Runtime.ConstrainedExecution;

namespace MemoryPressure.Reactive.Probes.Signals;

/// <summary>
/// Requests a sample after each full (generation 2) garbage collection, blocking or background.
/// </summary>
/// <remarks>
/// <para>
/// An unreachable finalizable object that re-registers itself for finalization is finalized after
/// every collection of the generation it lives in; once promoted to generation 2, after every full
/// collection. This is the runtime's own <c>Gen2GcCallback</c> pattern. The finalizer compares
/// <see cref="GC.CollectionCount(int)"/> of generation 2 with what it saw last, so the gen0 and gen1
/// collections that finalize the object while it is young request nothing.
/// </para>
/// <para>
/// The finalizer thread only counts and queues a work item (once until it runs): the request itself,
/// and so any scheduler and user code, runs on the thread pool. The sample taken then reads the
/// probe afresh; for a background collection, <see cref="GC.GetGCMemoryInfo()"/> read inside the
/// finalizer could still describe the previous collection, and is not read here.
/// </para>
/// </remarks>
internal sealed class Gen2CollectionSource : IThreadPoolWorkItem, IDisposable
{
    private readonly ITriggerSink _sink;
    private int _queued;
    private volatile bool _disposed;

    private Gen2CollectionSource(ITriggerSink sink)
    {
        _sink = sink;
        Status.Set(TriggerState.Active, "a finalizer re-registered after each collection, filtered on GC.CollectionCount(2)");
    }

    public SourceStatus Status { get; } = new(TriggerSource.Gen2Collection);

    public static Gen2CollectionSource Start(ITriggerSink sink)
    {
        var source = new Gen2CollectionSource(sink);
        _ = new Callback(source);
        return source;
    }

    /// <summary>Stops the requests; the callback object stops re-registering at the next collection.</summary>
    public void Dispose() => _disposed = true;

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _queued, 0);
        if (!_disposed)
        {
            _sink.Request(TriggerSource.Gen2Collection);
        }
    }

    /// <summary>Called on the finalizer thread after a collection that moved the generation 2 count.</summary>
    /// <returns><see langword="false"/> once disposed: the callback lets itself die.</returns>
    private bool OnGen2Collection()
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

    /// <summary>The object that is finalized after each collection and brings itself back.</summary>
    private sealed class Callback : CriticalFinalizerObject
    {
        private readonly Gen2CollectionSource _source;
        private int _gen2Count;

        public Callback(Gen2CollectionSource source)
        {
            _source = source;
            _gen2Count = GC.CollectionCount(2);
        }

        ~Callback()
        {
            var count = GC.CollectionCount(2);
            if (count != _gen2Count)
            {
                _gen2Count = count;
                if (!_source.OnGen2Collection())
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
