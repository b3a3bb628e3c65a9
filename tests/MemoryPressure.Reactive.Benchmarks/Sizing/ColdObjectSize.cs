using System.Diagnostics;
using System.Globalization;

namespace MemoryPressure.Reactive.Benchmarks.Sizing;

/// <summary>
/// <see cref="ObjectSize.GetSize(object?)"/> as a user meets it: cold, in a fresh process, on its
/// first three calls, against <see cref="ReflectionSizeWalker"/>, just as cold, in the same process.
/// BenchmarkDotNet warms both up first, which hides the unoptimised code of a method's first calls.
/// </summary>
/// <remarks>
/// <c>--cold-objectsize [processes]</c> starts this program that many times (5 by default) with
/// <c>--cold-objectsize-child</c>; each child builds a dictionary of 100,000 small records (400,003
/// objects), weighs it three times with each walker, and prints the times; the parent prints them all
/// and the ratio of each call.
/// </remarks>
internal static class ColdObjectSize
{
    private const int Records = 100_000;
    private const int Calls = 3;

    public static int RunParent(int processes)
    {
        Console.WriteLine($"ObjectSize cold: {processes} fresh processes, {Calls} calls of each walker on a dictionary of {Records:N0} records");
        Console.WriteLine("process  call  reflection ms  ObjectSize ms  ratio");
        var ratios = new List<double>();
        for (var p = 1; p <= processes; p++)
        {
            using var child = FreshProcess.Start("--cold-objectsize-child");
            var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            child.WaitForExit();
            foreach (var (line, call) in lines.Select((l, i) => (l, i + 1)))
            {
                var times = line.Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                ratios.Add(times[0] / times[1]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p,7}  {call,4}  {times[0],13:F1}  {times[1],13:F1}  {times[0] / times[1],5:F1}x"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ObjectSize faster by {ratios.Min():F1}x to {ratios.Max():F1}x (median {ratios.Order().ElementAt(ratios.Count / 2):F1}x)"));
        return 0;
    }

    public static int RunChild()
    {
        var graph = new Dictionary<int, ObjectSizeBenchmarks.SmallRecord>(Records);
        for (var i = 0; i < Records; i++)
        {
            graph[i] = new ObjectSizeBenchmarks.SmallRecord(i, $"record {i}", new byte[i % 32]);
        }

        var reflection = new ReflectionSizeWalker();
        for (var call = 0; call < Calls; call++)
        {
            var clock = Stopwatch.StartNew();
            var expected = reflection.GetSize(graph);
            var reflectionTime = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var result = ObjectSize.GetSize(graph);
            var objectSizeTime = clock.Elapsed.TotalMilliseconds;
            if (result != expected)
            {
                throw new InvalidOperationException($"The walkers disagree: {expected} bytes by reflection, {result}.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reflectionTime} {objectSizeTime}"));
        }

        return 0;
    }
}
