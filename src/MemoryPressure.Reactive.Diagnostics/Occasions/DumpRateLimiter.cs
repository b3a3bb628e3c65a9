using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics.Occasions;

/// <summary>Decides whether a trigger may start a dump: one at a time, a least interval between starts, a most dumps in all.</summary>
/// <remarks>
/// The interval runs from the start of the last dump, on the caller's clock (a scheduler's
/// <see cref="System.Reactive.Concurrency.IScheduler.Now"/>). Every started dump counts towards the
/// cap, failed ones included, so a broken setup cannot retry forever. Thread-safe.
/// </remarks>
internal sealed class DumpRateLimiter(DumpLimits limits)
{
    private readonly Lock _gate = new();
    private int _started;
    private DateTimeOffset _lastStart;
    private bool _running;

    /// <summary>Starts a dump at <paramref name="now"/> when the limits allow it.</summary>
    /// <param name="now">The trigger's time.</param>
    /// <param name="skipReason">Why the trigger is skipped, when it is.</param>
    /// <returns><see langword="true"/> when the dump may start; <see cref="Finish"/> must follow.</returns>
    public bool TryStart(DateTimeOffset now, [NotNullWhen(false)] out string? skipReason)
    {
        lock (_gate)
        {
            skipReason = WhySkip(now);
            if (skipReason is not null)
            {
                return false;
            }

            _running = true;
            _started++;
            _lastStart = now;
            return true;
        }
    }

    /// <summary>Marks the running dump as finished.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _running = false;
        }
    }

    private string? WhySkip(DateTimeOffset now)
    {
        if (_running)
        {
            return "a dump is already running";
        }

        if (_started >= limits.MaximumDumps)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the limit of {limits.MaximumDumps} dumps is reached");
        }

        // A clock that went back restarts the interval from now: it neither blocks dumps until the
        // clock catches up nor lets one through early.
        if (now < _lastStart)
        {
            _lastStart = now;
        }

        var since = now - _lastStart;
        return _started > 0 && since < limits.MinimumInterval
            ? string.Create(CultureInfo.InvariantCulture, $"the last dump started {since} ago, and dumps start at least {limits.MinimumInterval} apart")
            : null;
    }
}
