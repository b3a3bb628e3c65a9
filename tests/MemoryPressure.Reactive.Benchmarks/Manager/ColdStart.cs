using System.Diagnostics;
using System.Globalization;

namespace MemoryPressure.Reactive.Benchmarks.Manager;

/// <summary>
/// A default manager's cold start as a service meets it: in a fresh process, the time to
/// <see cref="MemoryPressureManager.Start"/> returning and then to the first sample's handlers.
/// </summary>
/// <remarks>
/// <c>--cold-manager [processes]</c> starts this program that many times (5 by default) with
/// <c>--cold-manager-child</c>; each child builds the three-level ladder of the quick start, constructs
/// a manager with <c>AutoStart = false</c>, subscribes to <c>Samples</c>, calls <c>Start()</c>, waits for
/// the first sample and prints both times, measured from just before the construction.
/// </remarks>
internal static class ColdStart
{
    public static int RunParent(int processes)
    {
        Console.WriteLine($"Manager cold start: {processes} fresh processes");
        Console.WriteLine("process  Start() returned ms  first sample ms");
        for (var p = 1; p <= processes; p++)
        {
            using var child = FreshProcess.Start("--cold-manager-child");
            var times = child.StandardOutput.ReadToEnd().Trim().Split(' ');
            child.WaitForExit();
            Console.WriteLine($"{p,7}  {times[0],19}  {times[1],15}");
        }

        return 0;
    }

    public static int RunChild()
    {
        var ladder = new SeverityLadder(
            new LocalRelativeValue(30) | new HeapRelativeValue(30),
            new LocalRelativeValue(15) | new HeapRelativeValue(20),
            new LocalRelativeValue(5) | new HeapRelativeValue(10));
        using var first = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        using var manager = new MemoryPressureManager(ladder, new MemoryPressureOptions { AutoStart = false });
        using var subscription = manager.Samples.Subscribe(_ => first.Set());
        manager.Start();
        var started = clock.Elapsed;
        first.Wait();
        var sampled = clock.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{started.TotalMilliseconds:F1} {sampled.TotalMilliseconds:F1}"));
        return 0;
    }
}
