using System.Text;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>
/// A thread-safe text writer that lets a test wait, with a bound, until some text has been flushed:
/// dumps write their report in one call followed by a flush, from another thread.
/// </summary>
internal sealed class FlushSignallingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource<string> Reached)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            var text = _text.ToString();
            foreach (var waiter in _waiters.Where(w => w.Condition(text)).ToList())
            {
                waiter.Reached.TrySetResult(text);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Waits until flushed text satisfies <paramref name="condition"/>, failing the test after <paramref name="bound"/>.</summary>
    public string WaitFor(Func<string, bool> condition, TimeSpan bound)
    {
        var reached = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_text.ToString()))
            {
                return _text.ToString();
            }

            _waiters.Add((condition, reached));
        }

        Assert.True(reached.Task.Wait(bound), $"the expected output did not come within {bound}; so far: {Text}");
        return reached.Task.Result;
    }
}
