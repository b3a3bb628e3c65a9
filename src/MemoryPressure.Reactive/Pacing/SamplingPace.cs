using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Pacing;

/// <summary>
/// The time from one sample to the next poll: <see cref="MemoryPressureOptions.CheckInterval"/> while
/// nothing approaches a level, shorter as the predicted time to the next level shrinks, never under
/// the floor. Plain logic; the manager applies it after each sample.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>predicted time to the next level, t</term><description>next poll after</description></listheader>
/// <item><term>none (flat, falling, no figure to follow)</term><description><c>CheckInterval</c></description></item>
/// <item><term>t &gt; horizon</term><description><c>t - horizon</c>, at most <c>CheckInterval</c>: the next look comes as the crossing enters the horizon</description></item>
/// <item><term>t &lt;= horizon</term><description><c>t / 2</c>, at least the floor: the samples close in on the crossing and one comes within a floor of it</description></item>
/// </list>
/// </remarks>
internal sealed class SamplingPace
{
    /// <summary>The floor when none is set: a sample costs tens of microseconds, so polling every 5 ms costs under 1% of a core, and only while memory closes on a level.</summary>
    public static readonly TimeSpan DefaultFloor = TimeSpan.FromMilliseconds(5);

    private readonly TimeSpan _checkInterval;
    private readonly double _floor;
    private readonly double _horizon;

    /// <summary>Initializes the pace, the defaults resolved; the bounds were checked by <see cref="MemoryPressureOptions.Validate"/>.</summary>
    public SamplingPace(TimeSpan checkInterval, TimeSpan? samplingFloor, TimeSpan? samplingHorizon)
    {
        _checkInterval = checkInterval;
        _floor = (samplingFloor ?? (DefaultFloor < checkInterval ? DefaultFloor : checkInterval)).TotalSeconds;
        _horizon = (samplingHorizon ?? checkInterval).TotalSeconds;
    }

    /// <summary>Gets the time to the next poll for a predicted time to the next level.</summary>
    /// <param name="secondsToNextLevel">The prediction; <see cref="double.PositiveInfinity"/> (or NaN) for none.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TimeSpan Next(double secondsToNextLevel)
    {
        var check = _checkInterval.TotalSeconds;
        if (!(secondsToNextLevel < check + _horizon))
        {
            return _checkInterval;
        }

        var seconds = secondsToNextLevel <= _horizon ? secondsToNextLevel / 2 : secondsToNextLevel - _horizon;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, _floor, check));
    }
}
