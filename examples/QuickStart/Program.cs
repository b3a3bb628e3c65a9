// The README's quick start: a three-level ladder and its handlers. Runs for two seconds.
using MemoryPressure.Reactive;

var cache = new Dictionary<string, byte[]>();

using var manager = new MemoryPressureManager(
    new SeverityLadder(
        new LocalRelativeValue(30) | new HeapRelativeValue(30),                       // level 1: under 30% headroom
        new LocalRelativeValue(15) | new HeapRelativeValue(20) | new GlobalAbsoluteValue(256 * MemoryUnits.MB), // level 2
        new LocalRelativeValue(5) | new HeapRelativeValue(10)),                       // level 3
    new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(250) });

manager.Entered(1).Subscribe(step => Console.WriteLine($"entered 1: {manager.Ladder.GetLevel(1).Condition}"));
manager.CleanupOnEntered(2, cache, static c => c.Clear());   // held weakly
manager.InstallForceGcCollect(3);
manager.MemoryNormal.Subscribe(_ => Console.WriteLine("memory is fine again"));
manager.Errors.Subscribe(e => Console.Error.WriteLine(e));

await Task.Delay(TimeSpan.FromSeconds(2));
Console.WriteLine($"level now: {manager.SeverityLevel}");
