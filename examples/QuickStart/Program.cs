using MemoryPressure.Reactive;

var cache = new Dictionary<string, byte[]> { ["small"] = new byte[100], ["large"] = new byte[10_000] };
Console.WriteLine($"the cache weighs {ObjectSize.GetSize(cache):N0} bytes");   // every object it holds, counted once, as the GC allocated it

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

// Each sample, as the handlers see it: the tightest limit and the headroom left under it.
manager.Samples.Subscribe(sample => Console.WriteLine(
    $"{sample.Timestamp:HH:mm:ss.fff} level {manager.SeverityLevel}: {sample.BindingLimit.HeadroomBytes / MemoryUnits.MB:N0} MiB free "
    + $"of {sample.BindingLimit.LimitBytes / MemoryUnits.MB:N0} MiB ({sample.BindingLimit.Limit})"));

await Task.Delay(TimeSpan.FromSeconds(3));
Console.WriteLine($"level after 3 s: {manager.SeverityLevel}; the push triggers that sample at once:");
foreach (var trigger in manager.Triggers)
{
    Console.WriteLine($"  {trigger}");
}
