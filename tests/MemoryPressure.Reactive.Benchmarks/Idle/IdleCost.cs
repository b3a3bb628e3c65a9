using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Benchmarks.Idle;

/// <summary>
/// What a manager costs at rest, as a service pays it: two fresh processes side by side for 90 s,
/// one with a default manager (1 s checks, every source on, a three-level ladder with handlers
/// subscribed, as an application has them) and a control without one, each measuring its own CPU
/// time from second 30 to second 90 of its life.
/// </summary>
/// <remarks>
/// <c>--idle</c> starts this program twice with <c>--idle-child manager|control</c>; each child reads
/// <c>getrusage(RUSAGE_SELF)</c> (user plus system time of every thread, exited ones included, at
/// microsecond resolution) at 30 s and at 90 s and prints the difference, with the methods the JIT
/// compiled in between (<see cref="System.Runtime.JitInfo"/>: tier-1 recompilations of code called once
/// a tick reach their 30th call there). The parent prints both and the manager's cost net of the
/// control, as a share of one core. <c>--idle-hosted</c> does the same for a generic host: one with the
/// Hosting package's zero-config <c>AddMemoryPressure()</c>, against the same host without it.
/// </remarks>
internal static partial class IdleCost
{
    private static readonly TimeSpan From = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan To = TimeSpan.FromSeconds(90);

    /// <summary>Runs the two children side by side and prints their costs.</summary>
    /// <param name="hosted">Whether to measure a generic host with <c>AddMemoryPressure()</c> against the bare host, rather than a default manager against an empty process.</param>
    public static int RunParent(bool hosted)
    {
        Console.WriteLine(hosted
            ? $"Idle cost: a generic host with AddMemoryPressure() and the same host without it, fresh processes side by side, CPU from second {From.TotalSeconds:0} to {To.TotalSeconds:0}..."
            : $"Idle cost: a default manager and a control, fresh processes side by side, CPU from second {From.TotalSeconds:0} to {To.TotalSeconds:0}...");
        var children = (hosted ? new[] { "host", "host-control" } : ["manager", "control"]).Select(kind => FreshProcess.Start("--idle-child", kind)).ToArray();
        var reports = children.Select(child => child.StandardOutput.ReadToEnd().Trim().Split(' ').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var seconds = reports.Select(r => r[0]).ToArray();
        foreach (var child in children)
        {
            child.WaitForExit();
            child.Dispose();
        }

        var window = (To - From).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"manager: {seconds[0] * 1000:F1} ms of CPU ({seconds[0] / window * 100:F4}% of a core); the JIT compiled {reports[0][1]:F0} methods in {reports[0][2]:F1} ms meanwhile"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"control: {seconds[1] * 1000:F1} ms of CPU ({seconds[1] / window * 100:F4}% of a core); the JIT compiled {reports[1][1]:F0} methods in {reports[1][2]:F1} ms meanwhile"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the manager, net of the control: {(seconds[0] - seconds[1]) / window * 100:F4}% of a core, {(seconds[0] - seconds[1]) / window * 1e6:F0} µs of CPU per second"));
        return 0;
    }

    public static int RunChild(string kind)
    {
        using var manager = kind == "manager" ? new MemoryPressureManager(RestingHandlers.Ladder()) : null;
        using var handlers = manager is null ? null : RestingHandlers.Subscribe(manager);
        using var host = kind.StartsWith("host", StringComparison.Ordinal) ? StartHost(withMemoryPressure: kind == "host") : null;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(From - clock.Elapsed);
        var (start, compiled, compiling) = (CpuSeconds(), System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
        Thread.Sleep(To - clock.Elapsed);
        var cpu = CpuSeconds() - start;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cpu:R} {System.Runtime.JitInfo.GetCompiledMethodCount() - compiled} {(System.Runtime.JitInfo.GetCompilationTime() - compiling).TotalMilliseconds:R}"));
        GC.KeepAlive(manager);
        return 0;
    }

    private static IHost StartHost(bool withMemoryPressure)
    {
        var builder = Host.CreateApplicationBuilder([]);

        // The console logger as a service has it, on standard error: standard output carries the figures.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (withMemoryPressure)
        {
            builder.Services.AddMemoryPressure();
        }

        var host = builder.Build();
        host.Start();
        return host;
    }

    private static double CpuSeconds()
    {
        if (GetResourceUsage(0, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6);
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);

    /// <summary>The head of Linux's <c>struct rusage</c> on 64-bit: two <c>struct timeval</c>, then fields this does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private unsafe fixed long _rest[14];
    }
}
