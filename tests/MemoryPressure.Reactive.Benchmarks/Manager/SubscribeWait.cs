using System.Diagnostics;
using System.Globalization;
using System.Reactive.Subjects;
using MemoryPressure.Reactive.Benchmarks.Ladder;

namespace MemoryPressure.Reactive.Benchmarks.Manager;

/// <summary>
/// How long a subscribe or a dispose on another thread waits for the manager's lock: under a custom
/// feed that judges samples back to back, and under a default manager that polls.
/// </summary>
/// <remarks>
/// <c>--subscribe-wait [seconds]</c> (10 by default): one thread feeds a manager through
/// <see cref="MemoryPressureOptions.Samples"/> as fast as it can (the 5-level ladder, its level
/// moving between 2 and 3 at every sample, a few handlers subscribed), while this thread, once a
/// millisecond, subscribes to <see cref="MemoryPressureManager.Changes"/> and disposes the
/// subscription, timing each call; then the same calls against a default polling manager for as
/// long. Prints the calls' percentiles and the longest, with the machine's load.
/// </remarks>
internal static class SubscribeWait
{
    public static int Run(int seconds)
    {
        var window = TimeSpan.FromSeconds(seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Subscribe and dispose on another thread, once a millisecond for {window.TotalSeconds:0} s against each manager; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        using (var feed = new Subject<MemorySample>())
        using (var fed = new MemoryPressureManager(new SeverityLadder(LadderOfFive.Conditions()), new MemoryPressureOptions { Samples = feed }))
        {
            var events = 0L;
            fed.Samples.Subscribe(_ => events++);
            fed.Entered(3).Subscribe(_ => events++);
            fed.Left(3).Subscribe(_ => events++);
            using var stop = new CancellationTokenSource();
            var feeder = new Thread(() =>
            {
                var (level2, level3) = (LadderOfFive.SampleAtLevel(2), LadderOfFive.SampleAtLevel(3));
                while (!stop.IsCancellationRequested)
                {
                    feed.OnNext(level3);
                    feed.OnNext(level2);
                }
            });
            feeder.Start();
            var (subscribes, disposes) = Measure(fed, window);
            stop.Cancel();
            feeder.Join();
            Report("fed back to back", subscribes, disposes);
            Console.WriteLine($"  ({events:N0} handler calls meanwhile)");
        }

        using (var polling = new MemoryPressureManager(new SeverityLadder(LadderOfFive.Conditions())))
        {
            var (subscribes, disposes) = Measure(polling, window);
            Report("polling (default options)", subscribes, disposes);
        }

        return 0;
    }

    private static (double[] Subscribes, double[] Disposes) Measure(MemoryPressureManager manager, TimeSpan window)
    {
        var subscribes = new List<double>();
        var disposes = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            var start = Stopwatch.GetTimestamp();
            var subscription = manager.Changes.Subscribe(_ => { });
            subscribes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            subscription.Dispose();
            disposes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

            // The pace of an application that subscribes now and then, not a loop that competes for the lock.
            Thread.Sleep(1);
        }

        return ([.. subscribes], [.. disposes]);
    }

    private static void Report(string manager, double[] subscribes, double[] disposes)
    {
        Console.WriteLine($"{manager}:");
        Console.WriteLine(Line("Subscribe", subscribes));
        Console.WriteLine(Line("Dispose", disposes));
    }

    private static string Line(string call, double[] waits)
    {
        var sorted = waits.Order().ToArray();
        double At(double percentile) => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"  {call,-9} {sorted.Length,6} calls: p50 {At(50):0.000} ms, p99 {At(99):0.000} ms, p99.9 {At(99.9):0.000} ms, longest {sorted[^1]:0.000} ms");
    }
}
