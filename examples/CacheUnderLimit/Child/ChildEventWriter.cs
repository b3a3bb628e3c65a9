using System.Diagnostics;

namespace CacheUnderLimit.Child;

/// <summary>Writes a child's <see cref="ChildEvent"/>s as JSON lines, timed from the child's start.</summary>
internal sealed class ChildEventWriter(TextWriter output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Gets the seconds since the child started.</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Writes one event; safe from any thread.</summary>
    public void Write(ChildEvent value)
    {
        var line = ChildEventJson.Serialize(value);
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
