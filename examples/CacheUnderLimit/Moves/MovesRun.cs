using System.Globalization;
using CacheUnderLimit.Proof;

namespace CacheUnderLimit.Moves;

/// <summary>What one child of <see cref="MovesProof"/> or <see cref="GuestProof"/> did, read from its output.</summary>
internal sealed class MovesRun
{
    public ChildOutcome Outcome { get; set; }

    public string Detail { get; set; } = "";

    public bool Finished { get; private set; }

    public int Entered { get; private set; }

    public int Repeated { get; private set; }

    /// <summary>Gets or sets the time from the write of the new limit to the child's <c>LimitChanges</c> event, when the limit moved.</summary>
    public long? LimitChangeMilliseconds { get; set; }

    /// <summary>Gets or sets the <c>high</c> events of the pod, where the kernel counts them (cgroup v2).</summary>
    public long? HighEvents { get; set; }

    /// <summary>Gets or sets the <c>max</c> events of the pod, where the kernel counts them (cgroup v2).</summary>
    public long? MaxEvents { get; set; }

    /// <summary>Runs a proof's child <paramref name="runs"/> times guarded, then once as the control, logging each run.</summary>
    /// <param name="runs">The guarded runs.</param>
    /// <param name="name">What the log calls the mode.</param>
    /// <param name="runAsync">Runs the child once, guarded or as the control.</param>
    /// <param name="log">Where each run is logged.</param>
    public static async Task<(List<MovesRun> Guarded, MovesRun Control)> RunGuardedThenControlAsync(int runs, string name, Func<bool, Task<MovesRun>> runAsync, TextWriter log)
    {
        var guarded = new List<MovesRun>();
        for (var i = 0; i < runs; i++)
        {
            var run = await runAsync(true);
            guarded.Add(run);
            log.WriteLine($"  {name}: guarded run {i + 1}: {run}");
        }

        var control = await runAsync(false);
        log.WriteLine($"  {name}: control: {control}");
        return (guarded, control);
    }

    /// <summary>Gets the range of the runs' times from the write of the limit to <c>LimitChanges</c>, or <c>-</c> where none moved.</summary>
    public static string LimitChangeRange(IEnumerable<MovesRun> runs)
    {
        var latencies = runs.Where(r => r.LimitChangeMilliseconds is not null).Select(r => r.LimitChangeMilliseconds!.Value).Order().ToList();
        return latencies.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{latencies[0]} to {latencies[^1]} ms");
    }

    /// <summary>Reads one line of the child's output: an entry, a repeat, the end, as a ramp child's JSON event or a moves child's word.</summary>
    /// <returns>The Unix time in milliseconds of a <c>LimitChanges</c> event of the cgroup's limit, or <see langword="null"/>.</returns>
    public long? Read(string line)
    {
        if (ChildEventJson.TryDeserialize(line) is { } reported)
        {
            Entered += reported is ChildLevelChanged ? 1 : 0;
            Finished |= reported is ChildFinished;
            return null;
        }

        var words = line.Split(' ');
        switch (words[0])
        {
            case "entered":
                Entered++;
                break;
            case "repeated":
                Repeated++;
                break;
            case "finished":
                Finished = true;
                break;
            case "limit-change" when line.Contains("limit=Cgroup", StringComparison.Ordinal):
                return long.Parse(words[1]["at=".Length..], CultureInfo.InvariantCulture);
        }

        return null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Detail}; {Entered} entries, {Repeated} repeats{(MaxEvents is { } max ? $", {HighEvents} high and {max} max events" : "")}{(LimitChangeMilliseconds is { } ms ? $", LimitChanges {ms} ms after the write" : "")}");
}
