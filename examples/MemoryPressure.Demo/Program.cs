// MemoryPressure.Reactive's demo: a cache fills up and a ladder of three levels trims it, live.
//
// It gives itself a budget of 256 MiB over what the process uses at start (so it shows pressure
// without endangering the machine), fills a cache at about 48 MiB a second, and lets the ladder
// trim a quarter of the cache, then half, then all of it and force a full collection at the top.
// Ends after 15 seconds, or on Ctrl+C, with a summary. Output that is not a terminal (a pipe,
// CI) gets plain lines instead of the live view; so does --plain.
//
// Usage: dotnet run --project examples/MemoryPressure.Demo [-- [seconds] [--plain]]
using System.Globalization;
using MemoryPressure.Demo;
using MemoryPressure.Reactive;
using Spectre.Console;

var seconds = args.FirstOrDefault(arg => arg != "--plain") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : 15;
var duration = TimeSpan.FromSeconds(seconds);
IDemoView view = args.Contains("--plain") || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive
    ? new PlainView(Console.Out)
    : new LiveView(duration);

using var stop = new CancellationTokenSource(duration);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var atStart = MemoryProbe.Default.Read();
var budget = atStart.ProcessResidentBytes + (256 * MemoryUnits.MB);
var cache = new DemoCache();

var journal = new DemoJournal(
    new SeverityLadder(
        new LadderLevel(new LocalRelativeValue(50)) { Name = "trim a quarter" },      // under half the budget left
        new LadderLevel(new LocalRelativeValue(30)) { Name = "trim half" },
        // In a container the GC caps the heap at 75% of the limit and throws there first: watch its headroom too.
        new LadderLevel(new LocalRelativeValue(15) | new HeapRelativeValue(15)) { Name = "drop all, collect" }),
    budget,
    atStart);
using (var manager = new MemoryPressureManager(journal.Ladder, new MemoryPressureOptions
{
    MaximumAvailableBytes = budget,
    CheckInterval = TimeSpan.FromMilliseconds(250),
}))
{
    manager.Samples.Subscribe(journal.Record);
    manager.Changes.Subscribe(journal.Record);
    manager.Errors.Subscribe(journal.Record);

    manager.CleanupOnEntered(1, cache, static c => c.Trim(0.25));
    manager.CleanupOnEntered(2, cache, static c => c.Trim(0.50));
    manager.CleanupOnEntered(3, cache, static c => c.Trim(1.00));

    // The collection runs after level 3's cleanup actions, so it reclaims what they dropped.
    manager.InstallForceGcCollect(3);

    var filling = CacheFiller.RunAsync(cache, capBytes: 256 * MemoryUnits.MB, stop.Token);
    await view.ShowAsync(journal, cache, stop.Token);
    await filling;
}

view.ShowSummary(journal.Summarize(cache));
