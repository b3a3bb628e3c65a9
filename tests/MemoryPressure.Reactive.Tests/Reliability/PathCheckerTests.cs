namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>The soak's checker catches what it is there to catch.</summary>
public class PathCheckerTests
{
    private static List<LevelChanged> Path(int samples)
    {
        var steps = new List<LevelChanged>();
        for (var i = 0; i < samples; i++)
        {
            var (from, to) = (RandomLevels.LevelAt(i - 1), RandomLevels.LevelAt(i));
            var direction = Math.Sign(to - from);
            for (var level = from; level != to; level += direction)
            {
                steps.Add(new LevelChanged(level, level + direction, RandomLevels.Sample(i)));
            }
        }

        return steps;
    }

    private static string? Check(IEnumerable<LevelChanged> steps)
    {
        var checker = new PathChecker();
        foreach (var step in steps)
        {
            checker.OnNext(step);
        }

        return checker.Violation;
    }

    [Fact]
    public void The_true_path_and_any_contiguous_piece_of_it_pass()
    {
        var path = Path(500);

        Assert.True(path.Count > 200);
        Assert.Null(Check(path));
        Assert.Null(Check(path.Skip(37).Take(100)));
    }

    [Fact]
    public void A_lost_a_duplicated_or_a_reordered_step_is_caught()
    {
        var path = Path(500);

        Assert.NotNull(Check(path.Take(50).Concat(path.Skip(51))));
        Assert.NotNull(Check(path.Take(50).Append(path[49]).Concat(path.Skip(50))));
        Assert.NotNull(Check(path.Take(50).Append(path[51]).Append(path[50]).Concat(path.Skip(52))));
    }

    [Fact]
    public void A_step_that_is_not_on_its_sample_path_is_caught()
    {
        var sample = Enumerable.Range(0, 100).First(i => RandomLevels.LevelAt(i) == RandomLevels.LevelAt(i - 1));

        Assert.NotNull(Check([new LevelChanged(0, 1, RandomLevels.Sample(sample))]));
    }
}
