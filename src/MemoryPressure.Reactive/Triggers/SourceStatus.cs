using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Triggers;

/// <summary>The live status of one trigger source, read as <see cref="TriggerStatus"/> snapshots; thread-safe.</summary>
internal sealed class SourceStatus(TriggerSource source)
{
    private readonly Lock _gate = new();
    private TriggerState _state = TriggerState.Off;
    private string _detail = "not started";
    private long _signals;

    /// <summary>Gets which source this is.</summary>
    public TriggerSource Source => source;

    /// <summary>Gets the source's state; read by the usage thresholds at each sample.</summary>
    public TriggerState State
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public void Set(TriggerState state, string detail)
    {
        lock (_gate)
        {
            _state = state;
            _detail = detail;
        }
    }

    /// <summary>Marks the source failed and, the first time, reports why on the manager's <c>Errors</c>.</summary>
    public void Fail(string detail, ITriggerSink sink)
    {
        lock (_gate)
        {
            if (_state == TriggerState.Failed)
            {
                return;
            }

            _state = TriggerState.Failed;
            _detail = detail;
        }

        sink.Report(new IOException($"The {source} trigger source stopped: {detail}. Polling goes on."));
    }

    /// <summary>Counts a signal.</summary>
    public void Signal() => Interlocked.Increment(ref _signals);

    public TriggerStatus Snapshot()
    {
        lock (_gate)
        {
            return new TriggerStatus(source, _state, _detail, Interlocked.Read(ref _signals));
        }
    }
}
