using System.Runtime.InteropServices;
using MemoryPressure.Reactive.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Tests.Reliability;

/// <summary>
/// Every public method of every package with null, negative, NaN, out-of-range and empty arguments:
/// the documented exception, thrown at the call, naming the parameter.
/// </summary>
[Trait("Category", "Reliability")]
public class BadInputTests
{
    private static readonly MemoryCondition Condition = new LocalRelativeValue(10);
    private static readonly SeverityLadder Ladder = new(Condition, new LocalRelativeValue(5));
    private static readonly IObservable<MemorySample> NoSamples = new TestScheduler().CreateHotObservable<MemorySample>();

    public static TheoryData<string, Action, Type, string?> Cases()
    {
        var manager = new MemoryPressureManager(Ladder, new MemoryPressureOptions { Samples = NoSamples });
        var options = new MemoryPressureOptions();
        return new()
        {
            // Samples and probes
            { "Poll with a zero interval", () => MemorySamples.Poll(TimeSpan.Zero), typeof(ArgumentOutOfRangeException), "interval" },
            { "Poll with a negative interval", () => MemorySamples.Poll(TimeSpan.FromSeconds(-1)), typeof(ArgumentOutOfRangeException), "interval" },
            { "LinuxMemoryProbe with a negative limit", () => _ = new LinuxMemoryProbe(-1), typeof(ArgumentOutOfRangeException), "processLimitBytes" },
            { "PortableMemoryProbe with a negative limit", () => _ = new PortableMemoryProbe(-1), typeof(ArgumentOutOfRangeException), "processLimitBytes" },

            // Conditions
            { "GlobalAbsoluteValue with negative bytes", () => _ = new GlobalAbsoluteValue(-1), typeof(ArgumentOutOfRangeException), "bytes" },
            { "LocalAbsoluteValue with negative bytes", () => _ = new LocalAbsoluteValue(long.MinValue), typeof(ArgumentOutOfRangeException), "bytes" },
            { "GlobalRelativeValue with NaN", () => _ = new GlobalRelativeValue(double.NaN), typeof(ArgumentOutOfRangeException), "percent" },
            { "GlobalRelativeValue with 0%", () => _ = new GlobalRelativeValue(0), typeof(ArgumentOutOfRangeException), "percent" },
            { "LocalRelativeValue with -5%", () => _ = new LocalRelativeValue(-5), typeof(ArgumentOutOfRangeException), "percent" },
            { "LocalRelativeValue with 101%", () => _ = new LocalRelativeValue(101), typeof(ArgumentOutOfRangeException), "percent" },
            { "HeapAbsoluteValue with negative bytes", () => _ = new HeapAbsoluteValue(-1), typeof(ArgumentOutOfRangeException), "bytes" },
            { "HeapRelativeValue with NaN", () => _ = new HeapRelativeValue(double.NaN), typeof(ArgumentOutOfRangeException), "percent" },
            { "HeapRelativeValue with 100.5%", () => _ = new HeapRelativeValue(100.5), typeof(ArgumentOutOfRangeException), "percent" },
            { "CustomCondition with a null function", () => _ = new CustomCondition((Func<bool>)null!), typeof(ArgumentNullException), "predicate" },
            { "CustomCondition with a null sample function", () => _ = new CustomCondition((Func<MemorySample, bool>)null!), typeof(ArgumentNullException), "predicate" },
            { "CustomCondition with a null description", () => _ = new CustomCondition(() => true) { Description = null! }, typeof(ArgumentNullException), "value" },
            { "All with a null array", () => _ = new All(null!), typeof(ArgumentNullException), "conditions" },
            { "All with a null condition", () => _ = new All(Condition, null!), typeof(ArgumentNullException), "conditions" },
            { "Any with a null array", () => _ = new Any(null!), typeof(ArgumentNullException), "conditions" },
            { "Any with a null condition", () => _ = new Any(null!, Condition), typeof(ArgumentNullException), "conditions" },
            { "Not of null", () => _ = new Not(null!), typeof(ArgumentNullException), "condition" },
            { "And with null", () => Condition.And(null!), typeof(ArgumentNullException), "other" },
            { "Or with null", () => Condition.Or(null!), typeof(ArgumentNullException), "other" },
            { "& with null on the left", () => _ = null! & Condition, typeof(ArgumentNullException), "left" },
            { "& with null on the right", () => _ = Condition & null!, typeof(ArgumentNullException), "right" },
            { "| with null on the left", () => _ = null! | Condition, typeof(ArgumentNullException), "left" },
            { "| with null on the right", () => _ = Condition | null!, typeof(ArgumentNullException), "right" },
            { "a parsed condition nested too deep", () => MemoryCondition.Parse(new string('!', 1000) + "LocalRelative < 1%"), typeof(FormatException), null },
            { "! of null", () => _ = !(MemoryCondition)null!, typeof(ArgumentNullException), "condition" },
            { "Observe null samples", () => Condition.Observe(null!), typeof(ArgumentNullException), "samples" },
            { "Parse null", () => MemoryCondition.Parse(null!), typeof(ArgumentNullException), "text" },
            { "Parse empty text", () => MemoryCondition.Parse(string.Empty), typeof(FormatException), null },
            { "Parse an out-of-range percentage", () => MemoryCondition.Parse("LocalRelative < 150%"), typeof(FormatException), null },

            // Ladder
            { "SeverityLadder of null conditions", () => _ = new SeverityLadder((MemoryCondition[])null!), typeof(ArgumentNullException), "levels" },
            { "SeverityLadder with a null condition", () => _ = new SeverityLadder(Condition, null!), typeof(ArgumentNullException), "levels" },
            { "SeverityLadder of null levels", () => _ = new SeverityLadder((LadderLevel[])null!), typeof(ArgumentNullException), "levels" },
            { "LadderLevel of null", () => _ = new LadderLevel(null!), typeof(ArgumentNullException), "condition" },
            { "LadderLevel with a negative EnterAfter", () => _ = new LadderLevel(Condition) { EnterAfter = TimeSpan.FromTicks(-1) }, typeof(ArgumentOutOfRangeException), "EnterAfter" },
            { "LadderLevel with a negative LeaveAfter", () => _ = new LadderLevel(Condition) { LeaveAfter = TimeSpan.MinValue }, typeof(ArgumentOutOfRangeException), "LeaveAfter" },
            { "GetLevel 0", () => Ladder.GetLevel(0), typeof(ArgumentOutOfRangeException), "level" },
            { "GetLevel N+1", () => Ladder.GetLevel(3), typeof(ArgumentOutOfRangeException), "level" },
            { "ToLevelChanges of null samples", () => ((IObservable<MemorySample>)null!).ToLevelChanges(Ladder), typeof(ArgumentNullException), "samples" },
            { "ToLevelChanges with a null ladder", () => NoSamples.ToLevelChanges(null!), typeof(ArgumentNullException), "ladder" },

            // Manager and options
            { "MemoryPressureManager with a null ladder", () => _ = new MemoryPressureManager(null!), typeof(ArgumentNullException), "ladder" },
            { "CheckInterval of zero", () => options.CheckInterval = TimeSpan.Zero, typeof(ArgumentOutOfRangeException), "CheckInterval" },
            { "CheckInterval negative", () => options.CheckInterval = TimeSpan.FromSeconds(-1), typeof(ArgumentOutOfRangeException), "CheckInterval" },
            { "CheckInterval over a day", () => options.CheckInterval = TimeSpan.MaxValue, typeof(ArgumentOutOfRangeException), "CheckInterval" },
            { "HandlerTimeout of zero", () => options.HandlerTimeout = TimeSpan.Zero, typeof(ArgumentOutOfRangeException), "HandlerTimeout" },
            { "HandlerTimeout negative", () => options.HandlerTimeout = TimeSpan.FromMilliseconds(-2), typeof(ArgumentOutOfRangeException), "HandlerTimeout" },
            { "HandlerTimeout over a day", () => options.HandlerTimeout = TimeSpan.MaxValue, typeof(ArgumentOutOfRangeException), "HandlerTimeout" },
            { "Triggers null", () => options.Triggers = null!, typeof(ArgumentNullException), "Triggers" },
            { "MinimumGap negative", () => options.Triggers.MinimumGap = TimeSpan.FromTicks(-1), typeof(ArgumentOutOfRangeException), "MinimumGap" },
            { "MinimumGap over an hour", () => options.Triggers.MinimumGap = TimeSpan.MaxValue, typeof(ArgumentOutOfRangeException), "MinimumGap" },
            { "MaximumAvailableBytes of zero", () => options.MaximumAvailableBytes = 0, typeof(ArgumentOutOfRangeException), "MaximumAvailableBytes" },
            { "MaximumAvailableBytes negative", () => options.MaximumAvailableBytes = -1, typeof(ArgumentOutOfRangeException), "MaximumAvailableBytes" },
            { "Entered 0", () => manager.Entered(0), typeof(ArgumentOutOfRangeException), "level" },
            { "Entered N+1", () => manager.Entered(3), typeof(ArgumentOutOfRangeException), "level" },
            { "Left 0", () => manager.Left(0), typeof(ArgumentOutOfRangeException), "level" },
            { "Left negative", () => manager.Left(-1), typeof(ArgumentOutOfRangeException), "level" },
            { "Remaining -1", () => manager.Remaining(-1), typeof(ArgumentOutOfRangeException), "level" },
            { "Remaining N+1", () => manager.Remaining(3), typeof(ArgumentOutOfRangeException), "level" },
            { "Remaining with a negative throttle", () => manager.Remaining(1, TimeSpan.FromTicks(-1)), typeof(ArgumentOutOfRangeException), "noMoreOftenThan" },
            { "CleanupOnEntered level 0", () => manager.CleanupOnEntered(0, new object(), _ => { }), typeof(ArgumentOutOfRangeException), "level" },
            { "CleanupOnEntered a null target", () => manager.CleanupOnEntered<object>(1, null!, _ => { }), typeof(ArgumentNullException), "target" },
            { "CleanupOnEntered a null action", () => manager.CleanupOnEntered(1, new object(), null!), typeof(ArgumentNullException), "cleanup" },
            { "InstallForceGcCollect level 0", () => manager.InstallForceGcCollect(0), typeof(ArgumentOutOfRangeException), "level" },
            { "InstallForceGcCollect level N+1", () => manager.InstallForceGcCollect(3), typeof(ArgumentOutOfRangeException), "level" },
            { "Subscribe a null observer to Changes", () => manager.Changes.Subscribe(null!), typeof(ArgumentNullException), "observer" },
            { "Subscribe a null observer to Levels", () => manager.Levels.Subscribe(null!), typeof(ArgumentNullException), "observer" },
            { "ReportError of null", () => manager.ReportError(null!), typeof(ArgumentNullException), "error" },

            // ObjectSize
            { "GetSize with null options", () => ObjectSize.GetSize(new object(), null!), typeof(ArgumentNullException), "options" },
            { "MaximumObjects negative", () => _ = new ObjectSizeOptions { MaximumObjects = -1 }, typeof(ArgumentOutOfRangeException), "MaximumObjects" },
            { "MaximumBytes negative", () => _ = new ObjectSizeOptions { MaximumBytes = -1 }, typeof(ArgumentOutOfRangeException), "MaximumBytes" },
            { "TopTypes negative", () => _ = new ObjectSizeOptions { TopTypes = -1 }, typeof(ArgumentOutOfRangeException), "TopTypes" },

            // Diagnostics
            { "DumpMemoryOn a null writer", () => MemoryDump.DumpMemoryOn(null!), typeof(ArgumentNullException), "output" },
            { "DumpMemoryOn listing no types", () => MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { TopTypes = 0 }), typeof(ArgumentOutOfRangeException), "options" },
            { "DumpMemoryOn keeping dumps nowhere", () => MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { KeepDumpFile = true }), typeof(ArgumentException), "options" },
            { "DumpMemoryOn with a prefix that escapes", () => MemoryDump.DumpMemoryOn(TextWriter.Null, new MemoryDumpOptions { FilePrefix = "../x" }), typeof(ArgumentException), "options" },
            { "DumpMemoryOnAsync a null writer", () => MemoryDump.DumpMemoryOnAsync(null!), typeof(ArgumentNullException), "output" },
            { "InstallDumpMemoryOn a signal with a null writer", () => MemoryDump.InstallDumpMemoryOn((PosixSignal)10, null!), typeof(ArgumentNullException), "output" },
            { "InstallDumpMemoryOn SIGKILL", () => MemoryDump.InstallDumpMemoryOn((PosixSignal)9, TextWriter.Null), typeof(ArgumentException), "signal" },
            { "InstallDumpMemoryOn a null manager", () => MemoryPressureManagerDumps.InstallDumpMemoryOn(null!, 1, TextWriter.Null), typeof(ArgumentNullException), "manager" },
            { "InstallDumpMemoryOn level 0", () => manager.InstallDumpMemoryOn(0, TextWriter.Null), typeof(ArgumentOutOfRangeException), "level" },
            { "InstallDumpMemoryOn a level with a null writer", () => manager.InstallDumpMemoryOn(1, null!), typeof(ArgumentNullException), "output" },
            { "MemoryDumpException of a null result", () => _ = new MemoryDumpException((MemoryDumpResult)null!), typeof(ArgumentNullException), "result" },

            // Hosting
            { "AddMemoryPressure to null services", () => ((IServiceCollection)null!).AddMemoryPressure(), typeof(ArgumentNullException), "services" },
            { "AddMemoryPressure with a null delegate", () => new ServiceCollection().AddMemoryPressure(null!), typeof(ArgumentNullException), "configure" },
            { "AddMemoryPressure to a null health checks builder", () => ((IHealthChecksBuilder)null!).AddMemoryPressure(), typeof(ArgumentNullException), "builder" },
            { "AddMemoryPressure health check with a null name", () => new ServiceCollection().AddHealthChecks().AddMemoryPressure(null!), typeof(ArgumentNullException), "name" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_the_documented_exception_naming_the_parameter(string call, Action action, Type exception, string? parameter)
    {
        var thrown = Record.Exception(action);

        Assert.True(thrown is not null, $"{call}: nothing was thrown");
        Assert.IsType(exception, thrown);
        if (thrown is ArgumentException argument)
        {
            Assert.Equal(parameter, argument.ParamName);
        }
    }
}
