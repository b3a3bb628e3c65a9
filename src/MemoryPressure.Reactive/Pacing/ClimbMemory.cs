using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Pacing;

/// <summary>
/// What the sampling pace remembers across the ladder's own actions: the last climb towards a level
/// (how far and how fast the figures moved between the two samples whose slope last predicted an
/// entry) and when the ladder last stepped down.
/// </summary>
/// <remarks>
/// A level's handlers free memory, and what climbed may climb straight back as fast: a service whose
/// cache refills at 1 GB/s after each compaction reaches the GC's cap well within one
/// <see cref="MemoryPressureOptions.CheckInterval"/>, while the slope of the sample that saw the memory
/// freed (falling) predicts nothing. And a figure read in steps (a counter updated now and then) shows
/// no change between two samples taken close together in the middle of a climb. So, within the span
/// (ten check intervals) of sample time after the ladder stepped down, or after the last climb when the
/// sample shows no change at all from the one before, a sample whose own slope predicts nothing is
/// judged at the last climb's slope, from where memory is now. Memory that never climbs towards a level
/// is paced as before, and memory that climbed and then sits still returns to the plain pace after
/// the span.
/// </remarks>
internal sealed class ClimbMemory(TimeSpan span)
{
    private Climb? _climb;
    private DateTimeOffset? _steppedDownAt;

    /// <summary>Notes a judged pair of samples: a climb when its slope predicted an entry, a step down when the level fell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Note(in MemorySample previous, in MemorySample sample, double secondsToNextLevel, int from, int to)
    {
        if (double.IsFinite(secondsToNextLevel) && sample.Timestamp > previous.Timestamp)
        {
            _climb = new Climb(
                sample.Timestamp - previous.Timestamp,
                sample.ProcessResidentBytes - previous.ProcessResidentBytes,
                sample.ManagedHeapBytes - previous.ManagedHeapBytes,
                sample.SystemAvailableBytes - previous.SystemAvailableBytes,
                sample.Timestamp);
        }

        if (to < from)
        {
            _steppedDownAt = sample.Timestamp;
        }
    }

    /// <summary>
    /// Gives a sample as far before <paramref name="sample"/>, and as far below it, as the last climb's
    /// start was before and below its end: judged against it, <paramref name="sample"/> moves at the climb's slope.
    /// </summary>
    /// <param name="previous">The sample judged before <paramref name="sample"/>.</param>
    /// <param name="sample">The sample whose own slope predicted nothing.</param>
    /// <param name="climbStart">The figures to judge <paramref name="sample"/> against; its time is the sample's own, the climb's length is <paramref name="elapsedSeconds"/>.</param>
    /// <param name="elapsedSeconds">How long the climb took, the time between <paramref name="climbStart"/> and <paramref name="sample"/>.</param>
    /// <returns>
    /// <see langword="false"/> when there is no climb, or neither a step down nor (for a sample that shows
    /// no change) the climb's end lies within the span before the sample (a clock that stepped back included).
    /// </returns>
    /// <remarks>
    /// The climb's length comes apart rather than as a moved timestamp: <see cref="DateTimeOffset"/>
    /// arithmetic goes through framework methods that, called once a sample, would be compiled again at
    /// their 30th and 60th call, in the middle of a rest.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReplay(in MemorySample previous, in MemorySample sample, out MemorySample climbStart, out double elapsedSeconds)
    {
        climbStart = default;
        elapsedSeconds = 0;
        if (_climb is not { } climb || !(Within(_steppedDownAt, sample) || (Unchanged(previous, sample) && Within(climb.EndedAt, sample))))
        {
            return false;
        }

        climbStart = sample with
        {
            ProcessResidentBytes = sample.ProcessResidentBytes - climb.ResidentGrowth,
            ManagedHeapBytes = sample.ManagedHeapBytes - climb.HeapGrowth,
            SystemAvailableBytes = sample.SystemAvailableBytes - climb.AvailableGrowth,
        };
        elapsedSeconds = climb.Elapsed.Ticks / (double)TimeSpan.TicksPerSecond;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Unchanged(in MemorySample previous, in MemorySample sample) =>
        previous.ProcessResidentBytes == sample.ProcessResidentBytes
        && previous.ManagedHeapBytes == sample.ManagedHeapBytes
        && previous.SystemAvailableBytes == sample.SystemAvailableBytes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Within(DateTimeOffset? moment, in MemorySample sample) =>
        moment is { } at && sample.Timestamp - at is var since && since >= TimeSpan.Zero && since <= span;

    /// <summary>A climb: how long it took, how much each figure the conditions read moved, and when it ended.</summary>
    private readonly record struct Climb(TimeSpan Elapsed, long ResidentGrowth, long HeapGrowth, long AvailableGrowth, DateTimeOffset EndedAt);
}
