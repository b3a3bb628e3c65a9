using System.Runtime.ExceptionServices;

namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// Work on a thread of its own rather than the thread pool's: it starts at once however slowly the
/// pool grows on a busy machine, a test can see it blocked, and what it throws is rethrown by
/// <see cref="Join"/> instead of ending the test run.
/// </summary>
internal sealed class OwnThread
{
    private readonly Thread _thread;
    private Exception? _failure;
    private volatile bool _ended;

    private OwnThread(Action work) =>
        _thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                _ended = true;
            }
        })
        { IsBackground = true };

    /// <summary>Starts <paramref name="work"/> on a new thread.</summary>
    public static OwnThread Start(Action work)
    {
        var own = new OwnThread(work);
        own._thread.Start();
        return own;
    }

    /// <summary>
    /// Waits, up to a bound, until the work waits for a lock or an event (its thread shows
    /// <see cref="ThreadState.WaitSleepJoin"/>) or ends: an event, not a timing, that says a call
    /// which must wait is waiting.
    /// </summary>
    /// <returns>Whether it blocked or ended within the bound.</returns>
    public bool WaitUntilBlockedOrEnded(TimeSpan bound) =>
        SpinWait.SpinUntil(() => _ended || (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0, bound);

    /// <summary>Waits, up to a bound, for the work to end, and rethrows what it threw.</summary>
    /// <returns>Whether it ended within the bound.</returns>
    public bool Join(TimeSpan bound)
    {
        if (!_thread.Join(bound))
        {
            return false;
        }

        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return true;
    }
}
