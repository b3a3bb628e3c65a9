using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Occasions;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Occasions;

public class DumpRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static DumpRateLimiter Limiter(int minutes = 1, int maximumDumps = 10) =>
        new(new DumpLimits(TimeSpan.FromMinutes(minutes), maximumDumps));

    private static string? SkipReason(DumpRateLimiter limiter, DateTimeOffset now) =>
        limiter.TryStart(now, out var reason) ? null : reason;

    [Fact]
    public void The_first_trigger_starts_a_dump() => Assert.Null(SkipReason(Limiter(), Start));

    [Fact]
    public void A_trigger_while_a_dump_runs_is_skipped()
    {
        var limiter = Limiter(minutes: 0);
        limiter.TryStart(Start, out _);

        Assert.Equal("a dump is already running", SkipReason(limiter, Start.AddHours(1)));
    }

    [Fact]
    public void A_trigger_sooner_than_the_interval_after_the_last_start_is_skipped_even_when_that_dump_has_ended()
    {
        var limiter = Limiter(minutes: 1);
        limiter.TryStart(Start, out _);
        limiter.Finish();

        Assert.Equal(
            "the last dump started 00:00:59.9990000 ago, and dumps start at least 00:01:00 apart",
            SkipReason(limiter, Start.AddMinutes(1).AddMilliseconds(-1)));
        Assert.Null(SkipReason(limiter, Start.AddMinutes(1)));
    }

    [Fact]
    public void Once_the_cap_is_reached_every_trigger_is_skipped()
    {
        var limiter = Limiter(minutes: 0, maximumDumps: 2);
        for (var i = 0; i < 2; i++)
        {
            Assert.Null(SkipReason(limiter, Start));
            limiter.Finish();
        }

        Assert.Equal("the limit of 2 dumps is reached", SkipReason(limiter, Start.AddDays(1)));
    }

    [Fact]
    public void A_skipped_trigger_neither_counts_nor_moves_the_interval()
    {
        var limiter = Limiter(minutes: 1, maximumDumps: 2);
        limiter.TryStart(Start, out _);
        limiter.Finish();

        Assert.NotNull(SkipReason(limiter, Start.AddSeconds(30)));
        Assert.Null(SkipReason(limiter, Start.AddMinutes(1)));
    }
}
