namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// Checks, step by step, that what one subscriber saw is a contiguous piece of the path the
/// <see cref="RandomLevels"/> samples take: nothing lost, duplicated or reordered.
/// </summary>
internal sealed class PathChecker : IObserver<LevelChanged>
{
    private LevelChanged? _last;

    public long Steps { get; private set; }

    public string? Violation { get; private set; }

    public void OnNext(LevelChanged value)
    {
        Steps++;
        if (Violation is not null)
        {
            return;
        }

        var sample = value.Sample.Timestamp.UtcTicks;
        if (Math.Abs(value.To - value.From) != 1 || !Between(value.From, value.To, RandomLevels.LevelAt(sample - 1), RandomLevels.LevelAt(sample)))
        {
            Violation = $"step {value.From}->{value.To} is not on the path of sample {sample}";
        }
        else if (_last is { } last)
        {
            var lastSample = last.Sample.Timestamp.UtcTicks;
            var expectedSample = last.To == RandomLevels.LevelAt(lastSample) ? RandomLevels.NextChange(lastSample) : lastSample;
            if (sample != expectedSample || value.From != last.To)
            {
                Violation = $"after {last.From}->{last.To} of sample {lastSample} came {value.From}->{value.To} of sample {sample}, expected a step from {last.To} of sample {expectedSample}";
            }
        }

        _last = value;
    }

    public void OnError(Exception error) => Violation ??= $"OnError: {error}";

    public void OnCompleted()
    {
    }

    private static bool Between(int from, int to, int start, int end) =>
        Math.Min(from, to) >= Math.Min(start, end) && Math.Max(from, to) <= Math.Max(start, end)
        && Math.Sign(to - from) == Math.Sign(end - start);
}
