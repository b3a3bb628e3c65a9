namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>A clock that starts at <see cref="Start"/> and moves one second on each reading, so dumps taken in a row have distinct, ordered times.</summary>
internal sealed class SteppingTime : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private int _readings;

    public override DateTimeOffset GetUtcNow() => Start.AddSeconds(Interlocked.Increment(ref _readings) - 1);
}
