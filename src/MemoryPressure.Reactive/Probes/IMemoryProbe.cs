namespace MemoryPressure.Reactive;

/// <summary>Reads the process's and the system's memory figures.</summary>
/// <remarks>
/// Implementations should be cheap (they run on every check) and may leave
/// <see cref="MemorySample.Timestamp"/> at its default: <see cref="MemorySamples.Poll(TimeSpan, IMemoryProbe?, System.Reactive.Concurrency.IScheduler?)"/>
/// stamps each sample with the scheduler's clock. A probe that throws ends a <c>Poll</c> subscription
/// with <c>OnError</c>; a <see cref="MemoryPressureManager"/> reports it on its <c>Errors</c> and tries
/// again at the next tick.
/// </remarks>
public interface IMemoryProbe
{
    /// <summary>Reads the current memory figures.</summary>
    /// <returns>A new sample.</returns>
    MemorySample Read();
}
