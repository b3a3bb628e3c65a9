using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Pacing;

/// <summary>
/// When the next poll comes after a judged sample: the one seam between the manager and its pacing.
/// The ladder predicts the time to the next level from the last two samples (<see cref="SeverityLadder.SecondsToEnterAbove(int, in MemorySample, in MemorySample)"/>),
/// <see cref="ClimbMemory"/> replays the last climb where the samples alone predict nothing, and
/// <see cref="SamplingPace"/> turns the prediction into a delay.
/// </summary>
/// <param name="ladder">The levels whose conditions predict.</param>
/// <param name="checkInterval">The longest delay: the manager's check interval.</param>
/// <param name="samplingFloor">The shortest delay, or <see langword="null"/> for the default.</param>
/// <param name="samplingHorizon">How far ahead a prediction shortens the delay, or <see langword="null"/> for the check interval.</param>
internal sealed class SamplingPacer(SeverityLadder ladder, TimeSpan checkInterval, TimeSpan? samplingFloor, TimeSpan? samplingHorizon)
{
    private readonly SamplingPace _pace = new(checkInterval, samplingFloor, samplingHorizon);
    private readonly ClimbMemory _climbs = new(10 * checkInterval);

    /// <summary>Gets the delay to the next poll after <paramref name="sample"/>, judged at level <paramref name="to"/> from <paramref name="from"/>.</summary>
    /// <param name="previous">The sample judged before it.</param>
    /// <param name="sample">The sample just judged.</param>
    /// <param name="from">The level before the sample.</param>
    /// <param name="to">The level after it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TimeSpan Next(MemorySample previous, MemorySample sample, int from, int to)
    {
        try
        {
            var seconds = ladder.SecondsToEnterAbove(to, previous, sample);
            _climbs.Note(previous, sample, seconds, from, to);
            if (!double.IsFinite(seconds) && _climbs.TryReplay(previous, sample, out var climbStart, out var climbSeconds))
            {
                seconds = ladder.SecondsToEnterAbove(to, climbStart, sample, climbSeconds);
            }

            return _pace.Next(seconds);
        }
        catch (Exception)
        {
            // A condition that throws was reported when the sample was judged; it predicts nothing.
            return checkInterval;
        }
    }
}
