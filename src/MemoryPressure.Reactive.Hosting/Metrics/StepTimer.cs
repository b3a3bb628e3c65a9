using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Measures how long the manager's handlers take for each step: from the step's <c>Changes</c>
/// event to the next step's, or to the end of the sample's dispatch.
/// </summary>
/// <remarks>
/// Called only on the thread that dispatches a sample: <see cref="StepStarted"/> from the host's
/// <c>Changes</c> handler, the first one subscribed, and <see cref="DispatchEnded"/> when the gated
/// scheduler or sample source sees the manager return.
/// </remarks>
internal sealed class StepTimer(TimeProvider time, Histogram<double> durations)
{
    private LevelChanged _step;
    private long _started;
    private bool _open;

    public void StepStarted(LevelChanged step)
    {
        var now = time.GetTimestamp();
        Close(now);
        (_step, _started, _open) = (step, now, true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DispatchEnded()
    {
        if (_open)
        {
            Close(time.GetTimestamp());
        }
    }

    private void Close(long now)
    {
        if (_open)
        {
            _open = false;
            durations.Record(time.GetElapsedTime(_started, now).TotalSeconds, MemoryPressureMetrics.StepTags(_step));
        }
    }
}
