using System.Reactive.Disposables;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// Holds work back until the host starts: what is registered before <see cref="Open"/> runs then,
/// in registration order; what is registered after runs at once.
/// </summary>
/// <remarks>
/// The manager starts sampling in its constructor, and the container may build it before the host
/// starts (a hosted service or a handler that takes it in its constructor). Its scheduler and sample
/// source pass through this gate, so nothing is sampled before the host starts.
/// </remarks>
internal sealed class StartGate
{
    private readonly Lock _sync = new();
    private List<Action>? _waiting = [];

    /// <summary>Gets whether the gate is open.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_sync)
            {
                return _waiting is null;
            }
        }
    }

    /// <summary>Runs an action when the gate opens, or at once when it is open.</summary>
    /// <returns>A registration whose disposal withdraws the action if it has not run yet.</returns>
    public IDisposable WhenOpen(Action action)
    {
        lock (_sync)
        {
            if (_waiting is { } waiting)
            {
                waiting.Add(action);
                return Disposable.Create((this, action), static s => s.Item1.Withdraw(s.action));
            }
        }

        action();
        return Disposable.Empty;
    }

    /// <summary>Opens the gate, once, and runs the actions that waited for it.</summary>
    public void Open()
    {
        List<Action>? waiting;
        lock (_sync)
        {
            (waiting, _waiting) = (_waiting, null);
        }

        waiting?.ForEach(static action => action());
    }

    private void Withdraw(Action action)
    {
        lock (_sync)
        {
            _waiting?.Remove(action);
        }
    }
}
