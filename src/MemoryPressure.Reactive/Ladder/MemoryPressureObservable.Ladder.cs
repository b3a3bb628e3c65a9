using System.Reactive.Linq;
using MemoryPressure.Reactive.Ladder;

namespace MemoryPressure.Reactive;

/// <summary>Rx operators over memory samples.</summary>
public static partial class MemoryPressureObservable
{
    /// <summary>
    /// Turns samples into the steps of a severity ladder: ordered, one level at a time, no level skipped.
    /// </summary>
    /// <param name="samples">The samples to judge.</param>
    /// <param name="ladder">The levels.</param>
    /// <returns>A cold observable: each subscription starts at level 0 with its own state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> or <paramref name="ladder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>input</term><description>emitted</description></listheader>
    /// <item><term>a sample that leaves the level unchanged</term><description>nothing</description></item>
    /// <item><term>a sample that moves the level from a to b</term><description>|b - a| <see cref="LevelChanged"/> steps in order, all carrying that sample: 0 to 3 gives (0,1), (1,2), (2,3); 3 to 1 gives (3,2), (2,1)</description></item>
    /// <item><term>a condition throws</term><description><c>OnError</c> with its exception</description></item>
    /// <item><term><c>OnError</c>, <c>OnCompleted</c> of the samples</term><description>the same</description></item>
    /// </list>
    /// Every condition is judged on the same sample, at most once per sample (glitch-free); the
    /// level after a sample is the highest level in effect. Nothing is allocated for a sample that
    /// changes no level.
    /// </remarks>
    public static IObservable<LevelChanged> ToLevelChanges(this IObservable<MemorySample> samples, SeverityLadder ladder)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(ladder);
        return Observable.Create<LevelChanged>(observer =>
        {
            var state = new LadderState(ladder);
            return samples.Subscribe(
                sample =>
                {
                    if (LevelSteps.Judge(state, sample, observer, static (o, step) => o.OnNext(step)) is { } error)
                    {
                        observer.OnError(error);
                    }
                },
                observer.OnError,
                observer.OnCompleted);
        });
    }
}
