using System.Diagnostics;
using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>
/// The idle contract: once a manager's first samples are behind it, a sample at rest compiles no
/// method and allocates nothing, with an application's handlers subscribed.
/// </summary>
/// <remarks>
/// <para>
/// A service pays for a manager at rest with every sample, for as long as it lives: one method that is
/// compiled again (tiered compilation recompiles a method at its thirtieth call, so a method called
/// once a sample is recompiled half a minute into a rest at the default check interval) or one object
/// allocated per sample shows in the idle figure (README, "Performance", <c>--idle</c>).
/// </para>
/// <para>
/// The child (<c>TestChild rest</c>) runs the idle harness's manager and handlers, polling every
/// 10 ms with a handler timeout of 10 ms (so its watchdog checks once a sample, as at the defaults),
/// and measures samples 150 to 650. Its runtime recompiles a method at its 200th call rather
/// than its 30th (<c>DOTNET_TC_CallCountThreshold</c>), so the window opens after the start-up's
/// one-off work (the watchdog's first check, a second in) and still holds the recompilations of
/// every method called once a sample or more: a method of the path at rest that is not compiled
/// optimised at its first call (<see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>)
/// is recompiled inside it, as it would be half a minute into a rest at the default check interval.
/// The runtime's JIT summary (<c>DOTNET_JitStdOutFile</c>) names what was compiled there.
/// </para>
/// <para>
/// Framework methods the path calls once a sample are compiled again like any other, and a library
/// cannot choose their tier: the ones named in <see cref="FrameworkAtRest"/> are allowed (the kernel
/// files' descriptors looked up by path, the managed heap's size), each recompiled at most twice in
/// a process's life. Any other method compiled in the window fails the test, framework or not.
/// </para>
/// </remarks>
public sealed partial class IdleContractTests
{
    private const int IntervalMilliseconds = 10;
    private const int WarmSamples = 150;
    private const int WindowSamples = 500;
    private const int CallsBeforeRecompiling = 200;

    /// <summary>The framework methods a sample at rest calls outside the library's optimised code, by the start of their summary line.</summary>
    private static readonly string[] FrameworkAtRest =
    [
        "System.Collections.Generic.Dictionary`2[System.__Canon,System.__Canon]:FindValue(",
        "System.Collections.Generic.NonRandomizedStringEqualityComparer+OrdinalComparer:Equals(",
        "System.Collections.Generic.NonRandomizedStringEqualityComparer+OrdinalComparer:GetHashCode(",
        "System.SpanHelpers:SequenceEqual(",
        "System.GC:GetTotalMemory(",
    ];

    [Fact]
    public void A_manager_at_rest_compiles_nothing_and_allocates_nothing_per_sample()
    {
        var summary = Path.Combine(Path.GetTempPath(), $"memory-pressure-jit-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            var start = new ProcessStartInfo(TestChild.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { TestChild.Assembly, "rest", $"{IntervalMilliseconds}", $"{WarmSamples}", $"{WindowSamples}" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOTNET_JitStdOutFile"] = summary;
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            start.Environment["DOTNET_TC_CallCountThreshold"] = $"{CallsBeforeRecompiling}";
            using var child = Process.Start(start)!;
            var report = TestChild.ParseSample(TestChild.WaitForOutput(child, TimeSpan.FromMinutes(2)));
            var compiled = CompiledInWindow(File.ReadAllLines(summary));
            var unexpected = compiled.Where(m => !FrameworkAtRest.Any(f => m.StartsWith(f, StringComparison.Ordinal))).ToList();

            Assert.True(unexpected.Count == 0, $"{unexpected.Count} methods compiled at rest ({report["CompiledMethods"]} counted by the runtime): {string.Join("; ", unexpected)}");
            Assert.Equal(0, report.Long("SamplingThreadAllocatedBytes"));

            // Less than a byte a sample: nothing is allocated per sample anywhere in the process.
            Assert.InRange(report.Long("ProcessAllocatedBytes"), 0, WindowSamples - 1);
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Fact]
    public void The_window_is_read_from_the_summary_between_its_two_markers()
    {
        string[] summary =
        [
            "   1: JIT compiled Program:Main(System.String[]):int [Tier0, IL size=10, code size=20]",
            "   2: JIT compiled RestWindow:Opens() [Tier0, IL size=1, code size=10]",
            "   3: JIT compiled MemoryPressure.Reactive.Sample:Read():int [Tier1, IL size=10, code size=20]",
            "   4: JIT compiled RestWindow:Closes() [Tier0, IL size=1, code size=10]",
            "   5: JIT compiled Program:Exit() [Tier0, IL size=1, code size=10]",
        ];

        Assert.Equal(["MemoryPressure.Reactive.Sample:Read():int [Tier1]"], CompiledInWindow(summary));
    }

    /// <summary>The methods the summary lists between the child's two markers, with their tier.</summary>
    private static List<string> CompiledInWindow(string[] summary)
    {
        var methods = summary.Select(line => CompiledLine().Match(line)).Where(m => m.Success).Select(m => $"{m.Groups["method"].Value} [{m.Groups["tier"].Value}]").ToList();
        var opens = methods.FindIndex(m => m.StartsWith("RestWindow:Opens()", StringComparison.Ordinal));
        var closes = methods.FindIndex(m => m.StartsWith("RestWindow:Closes()", StringComparison.Ordinal));
        Assert.True(opens >= 0 && closes > opens, $"the summary has no window: {summary.Length} lines");
        return methods[(opens + 1)..closes];
    }

    [GeneratedRegex(@"JIT compiled (?<method>.+?) \[(?<tier>[^,\]]+)")]
    private static partial Regex CompiledLine();
}
