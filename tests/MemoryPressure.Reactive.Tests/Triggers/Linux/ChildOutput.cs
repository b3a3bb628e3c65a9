using System.Collections.Concurrent;
using System.Diagnostics;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>The lines a child writes, read as they come, with bounded waits for the one a test expects.</summary>
internal sealed class ChildOutput
{
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _errors = new();

    public ChildOutput(Process child)
    {
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _lines.Add(line);
            }
            else
            {
                _lines.CompleteAdding();
            }
        };
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _errors.Enqueue(line);
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
    }

    /// <summary>Waits for the next line that starts with <paramref name="prefix"/>, skipping others.</summary>
    /// <exception cref="TimeoutException">No such line came within the bound.</exception>
    public string WaitFor(string prefix, TimeSpan bound)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = bound - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                throw new TimeoutException($"the child wrote no \"{prefix}\" line within {bound}{(_lines.IsAddingCompleted ? " and exited" : "")}: {string.Join(" | ", _errors)}");
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
