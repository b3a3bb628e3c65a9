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
/// cannot choose their tier, nor when the runtime's background compiler gets to them: one called
/// several times a sample is recompiled before the window on a quiet machine and inside it on a busy
/// one (the numbers' parser of the kernel files, seen in a run of the whole suite). So a framework
/// method recompiled in the window (<see cref="IsFrameworkRecompilation"/>: a tier-1 or instrumented
/// compile) is allowed, each at most twice in a process's life. Any method of the library compiled
/// there fails the test, and so does a framework method compiled there for the first time: code that
/// starts to run only at rest.
/// </para>
/// </remarks>
public sealed partial class IdleContractTests
{
    private const int IntervalMilliseconds = 10;
    private const int WarmSamples = 150;
    private const int WindowSamples = 500;
    private const int CallsBeforeRecompiling = 200;

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
            var unexpected = compiled.Where(m => !IsFrameworkRecompilation(m)).ToList();

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

    [Theory]
    [InlineData("System.GC:GetTotalMemory(bool) [Tier1 with Dynamic PGO]", true)]
    [InlineData("System.SpanHelpers:SequenceEqual(byref,byref,nuint) [Instrumented Tier1 with Synthesized PGO]", true)]
    [InlineData("System.Linq.Enumerable:Count[int](System.Collections.Generic.IEnumerable`1[int]) [Tier0]", false)]
    [InlineData("System.Linq.Enumerable:Any[int](System.Collections.Generic.IEnumerable`1[int]) [FullOpts]", false)]
    [InlineData("MemoryPressure.Reactive.Pacing.SamplingPace:Next(double) [Tier1]", false)]
    public void Only_a_framework_method_compiled_again_is_the_runtime_s_own_tiering(string entry, bool allowed) =>
        Assert.Equal(allowed, IsFrameworkRecompilation(entry));

    /// <summary>Tells a framework method compiled again (tier 1, or instrumented on its way there) from a first compile or a method of the library.</summary>
    private static bool IsFrameworkRecompilation(string entry)
    {
        var tier = entry[(entry.LastIndexOf('[') + 1)..];
        return !entry.StartsWith("MemoryPressure.", StringComparison.Ordinal)
            && (tier.Contains("Tier1", StringComparison.Ordinal) || tier.StartsWith("Instrumented", StringComparison.Ordinal));
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
