using System.Diagnostics;
using System.Globalization;
using System.Text;
using CacheUnderLimit.Child;
using CacheUnderLimit.Proof;
using MemoryPressure.Reactive;

namespace CacheUnderLimit.Ramp;

/// <summary>
/// What tracking a ramp costs: the CPU of a manager's own threads and the samples it takes while
/// memory is flat, while it ramps towards a level's threshold, and while it stays just short of it.
/// </summary>
/// <remarks>
/// Each child runs under a 256 MiB limit with the default options (the v1 signals off in the portable
/// runs) and <c>LocalRelative &lt; 35%</c>: 5 s at rest, a managed cache grown at 100 MiB/s to 100 MiB
/// (the headroom falls from about 80% to about 40%, towards the threshold but not across it), then
/// 5 s held there. The CPU is the time on a core (<c>/proc/self/task/*/schedstat</c>) of the threads
/// the library starts, whose names begin with <c>MemoryPressure</c>: the sampling thread (every probe
/// read and all dispatch), the kernel events thread and the watchdog.
/// </remarks>
public static class RampCpu
{
    private const string Condition = "LocalRelative < 35%";
    private const int ChunkBytes = 64 * 1024;
    private const long CacheBytes = 100L << 20;
    private const double BytesPerSecond = 100 << 20;
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="runs"/> children with every signal and as many with the portable ones, and prints the table.</summary>
    public static async Task<int> RunParentAsync(int runs, TextWriter log)
    {
        var rows = new StringBuilder();
        rows.AppendLine(CultureInfo.InvariantCulture, $"A manager with `{Condition}` under a 256 MiB limit, default options; the CPU of its own threads, per phase, over {runs} runs each:");
        rows.AppendLine();
        rows.AppendLine("| signals | phase | samples a second | CPU, ms a second | % of a core |");
        rows.AppendLine("|---|---|---:|---:|---:|");
        foreach (var signals in (RampSignals[])[RampSignals.All, RampSignals.Portable])
        {
            var phases = new List<ChildPhase>();
            for (var i = 0; i < runs; i++)
            {
                var run = await ChildRunner.RunChildAsync(["--ramp-cpu-child", signals.ArgumentName()], 256L << 20, useGcHeapHardLimit: false, Rest + Hold + TimeSpan.FromSeconds(10));
                log.WriteLine($"  {signals.ArgumentName()}, run {i + 1}: {run.Detail}");
                phases.AddRange(run.Events.OfType<ChildPhase>());
            }

            foreach (var phase in phases.GroupBy(p => p.Phase))
            {
                var seconds = phase.Sum(p => p.WallSeconds);
                var cpu = phase.Sum(p => p.CpuMilliseconds) / seconds;
                rows.AppendLine(CultureInfo.InvariantCulture, $"| {signals.ArgumentName()} | {phase.Key} | {phase.Sum(p => p.Samples) / seconds:F1} | {cpu:F3} | {cpu / 10:F4}% |");
            }
        }

        log.WriteLine();
        log.Write(rows);
        return 0;
    }

    /// <summary>The child: rest, ramp, hold, each phase reported with its samples and its CPU.</summary>
    public static int RunChild(RampSignals signals)
    {
        var events = new ChildEventWriter(Console.Out);
        var start = MemoryProbe.Default.Read();
        events.Write(new ChildStarted(events.Seconds, start.ProcessLimitBytes, start.ProcessLimitSource.ToString(), start.GcHeapHardLimitBytes));
        long samples = 0;
        var entered = 0;
        using var manager = new MemoryPressureManager(new SeverityLadder(MemoryCondition.Parse(Condition)), new MemoryPressureOptions { Triggers = signals.Triggers() });
        manager.Samples.Subscribe(_ => Interlocked.Increment(ref samples));
        manager.Entered(1).Subscribe(_ => Interlocked.Increment(ref entered));

        var cache = new List<byte[]>();
        Measure("at rest, its first 5 s", () => Thread.Sleep(Rest));
        Measure("ramping towards the threshold", () =>
        {
            var clock = Stopwatch.StartNew();
            for (long allocated = 0; allocated < CacheBytes;)
            {
                for (var due = Math.Min(CacheBytes, (long)(clock.Elapsed.TotalSeconds * BytesPerSecond)); allocated < due; allocated += ChunkBytes)
                {
                    var chunk = new byte[ChunkBytes];
                    Array.Fill(chunk, (byte)1);
                    cache.Add(chunk);
                }

                Thread.Sleep(1);
            }
        });
        Measure("held just short of it", () => Thread.Sleep(Hold));
        GC.KeepAlive(cache);
        if (entered > 0)
        {
            Console.Error.WriteLine($"The level was entered {entered} times: the ramp crossed the threshold, and the phases measure more than tracking.");
            return 1;
        }

        events.Write(new ChildFinished(events.Seconds));
        return 0;

        void Measure(string phase, Action body)
        {
            var (cpuBefore, samplesBefore, clock) = (LibraryThreads.Cpu("/proc/self"), Interlocked.Read(ref samples), Stopwatch.StartNew());
            body();
            var (cpu, wall) = (LibraryThreads.Cpu("/proc/self") - cpuBefore, clock.Elapsed.TotalSeconds);
            events.Write(new ChildPhase(events.Seconds, phase, wall, Interlocked.Read(ref samples) - samplesBefore, cpu.TotalMilliseconds));
        }
    }
}
