using System.Reactive.Linq;
using System.Reactive.Subjects;
using FsCheck;
using FsCheck.Fluent;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Ladder;

/// <summary>Properties of the ladder operator over random sample sequences and random (non-monotonic) ladders.</summary>
public class LadderPropertyTests
{
    /// <summary>A random ladder: each level holds above its own "used" threshold, in any order, so levels need not nest.</summary>
    private static readonly Gen<long[]> Thresholds = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 100).Select(t => (long)t), n));

    private static readonly Gen<long[]> Usage = Gen.ArrayOf(Gen.Choose(0, 100).Select(u => (long)u));

    [Fact]
    public void Steps_form_a_contiguous_path_from_0_and_the_level_after_each_sample_is_the_highest_holding_condition()
    {
        Prop.ForAll(Thresholds.ToArbitrary(), Usage.ToArbitrary(), (thresholds, usage) =>
        {
            var ladder = new SeverityLadder([.. thresholds.Select(t => new CustomCondition(s => s.ProcessResidentBytes > t))]);
            var samples = new Subject<MemorySample>();
            var steps = new List<(int Index, LevelChanged Step)>();
            var index = 0;
            using var subscription = samples.ToLevelChanges(ladder).Subscribe(step => steps.Add((index, step)));

            var level = 0;
            for (index = 0; index < usage.Length; index++)
            {
                var firstStep = steps.Count;
                var before = level;
                samples.OnNext(Pressure.Sample(index, usage[index]));
                var expected = Array.FindLastIndex(thresholds, t => usage[index] > t) + 1;

                // One sample's steps are contiguous, each ±1, from the level before it to the highest holding one.
                foreach (var (_, step) in steps.Skip(firstStep))
                {
                    if (step.From != level || Math.Abs(step.To - step.From) != 1 || step.Sample.ProcessResidentBytes != usage[index])
                    {
                        return false;
                    }

                    level = step.To;
                }

                if (level != expected || steps.Count - firstStep != Math.Abs(expected - before))
                {
                    return false;
                }
            }

            // Steps of one sample are contiguous in the output: indexes never go back.
            return steps.Select(s => s.Index).Zip(steps.Select(s => s.Index).Skip(1)).All(p => p.First <= p.Second);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_condition_is_evaluated_once_per_sample()
    {
        Prop.ForAll(Thresholds.ToArbitrary(), Usage.ToArbitrary(), (thresholds, usage) =>
        {
            var calls = new int[thresholds.Length];
            var ladder = new SeverityLadder([.. thresholds.Select((t, i) => new CustomCondition(s => ++calls[i] > 0 && s.ProcessResidentBytes > t))]);

            usage.Select((u, i) => Pressure.Sample(i, u)).ToObservable().ToLevelChanges(ladder).Subscribe(_ => { });

            return calls.All(c => c == usage.Length);
        }).QuickCheckThrowOnFailure();
    }
}
