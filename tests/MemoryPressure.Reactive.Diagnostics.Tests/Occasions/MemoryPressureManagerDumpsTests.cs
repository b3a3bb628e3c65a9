using System.Reactive.Concurrency;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Occasions;

/// <summary>Dumps on entering a level of a manager: limits on sample time, failures on Errors, monitoring untouched.</summary>
public sealed class MemoryPressureManagerDumpsTests : ReactiveTest, IDisposable
{
    private readonly TestScheduler _scheduler = new();
    private readonly TemporaryDirectory _directory = new();
    private readonly StringWriter _output = new();

    public void Dispose()
    {
        _output.Dispose();
        _directory.Dispose();
    }

    /// <summary>A manager over one level (headroom under 20% of 100 bytes) fed at the given ticks with "used" figures.</summary>
    private MemoryPressureManager Manager(params (long Ticks, long Used)[] samples) =>
        new(
            new SeverityLadder(new LocalRelativeValue(20)),
            new MemoryPressureOptions
            {
                Samples = _scheduler.CreateHotObservable([.. samples.Select(s => OnNext(s.Ticks, new MemorySample
                {
                    Timestamp = new DateTimeOffset(s.Ticks, TimeSpan.Zero),
                    ProcessLimitBytes = 100,
                    ProcessResidentBytes = s.Used,
                }))]),
            });

    private DumpSettings Settings(int maximumDumps) => DumpSettings.From(
        new MemoryDumpOptions { DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0, MinimumInterval = TimeSpan.FromTicks(100), MaximumDumps = maximumDumps },
        "options");

    [Fact]
    public void Entries_into_the_level_dump_at_most_once_per_interval_of_sample_time_and_up_to_the_cap()
    {
        using var manager = Manager((210, 90), (220, 10), (250, 90), (300, 10), (330, 90), (400, 10), (500, 90), (600, 10), (700, 90));

        // A writer that ends at once, so each dump ends at the virtual time it started.
        var writer = new FakeDumpWriter
        {
            Write = (path, _) =>
            {
                File.WriteAllText(path, "dump");
                return Task.CompletedTask;
            },
        };
        var pipeline = new DumpPipeline(writer, new FakeHeapAnalyser(), new DumpGate(), new SteppingTime());
        var settings = Settings(maximumDumps: 2);
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);

        using var installed = MemoryPressureManagerDumps.Install(manager, manager.Entered(1), _output, settings, token => pipeline.RunAsync(_output, settings, token));
        _scheduler.Start();

        var report = _output.ToString();
        Assert.True(writer.Files.Count == 2, report);
        Assert.Empty(errors);
        Assert.Contains("apart", report, StringComparison.Ordinal);
        Assert.Contains("the limit of 2 dumps is reached", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dump_that_fails_is_reported_on_Errors_with_its_reason_and_monitoring_goes_on()
    {
        using var manager = Manager((210, 90), (220, 10), (400, 90));
        var writer = new FakeDumpWriter { Unavailable = "diagnostics are disabled (DOTNET_EnableDiagnostics=0)" };
        var pipeline = new DumpPipeline(writer, new FakeHeapAnalyser(), new DumpGate(), new SteppingTime());
        var settings = Settings(maximumDumps: 10);
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);
        var entered = new List<long>();
        manager.Entered(1).Subscribe(step => entered.Add(step.Sample.Timestamp.UtcTicks));

        using var installed = MemoryPressureManagerDumps.Install(manager, manager.Entered(1), _output, settings, token => pipeline.RunAsync(_output, settings, token));
        _scheduler.Start();

        Assert.Equal([210L, 400L], entered);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("DOTNET_EnableDiagnostics=0", Assert.IsType<MemoryDumpException>(e).Message, StringComparison.Ordinal));
        Assert.Empty(writer.Files);
    }

    [Fact]
    public void A_dump_function_that_throws_is_reported_and_later_entries_still_dump()
    {
        using var manager = Manager((210, 90), (220, 10), (400, 90));
        var settings = Settings(maximumDumps: 10);
        var errors = new List<Exception>();
        manager.Errors.Subscribe(errors.Add);
        var calls = 0;

        using var installed = MemoryPressureManagerDumps.Install(manager, manager.Entered(1), _output, settings, _ =>
            ++calls == 1 ? throw new InvalidOperationException("writer crashed") : Task.FromResult(MemoryDumpResult.Failure(DateTimeOffset.UnixEpoch, "second")));
        _scheduler.Start();

        Assert.Equal(2, calls);
        Assert.Equal(2, errors.Count);
        Assert.Contains("writer crashed", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_registration_stops_the_dumps()
    {
        using var manager = Manager((210, 90), (220, 10), (400, 90));
        var settings = Settings(maximumDumps: 10);
        var calls = 0;
        var installed = MemoryPressureManagerDumps.Install(manager, manager.Entered(1), _output, settings, _ =>
        {
            calls++;
            return Task.FromResult(MemoryDumpResult.Failure(DateTimeOffset.UnixEpoch, "fake"));
        });
        _scheduler.ScheduleAbsolute(300, installed.Dispose);

        _scheduler.Start();

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Bad_arguments_are_refused_at_the_call_naming_the_parameter()
    {
        using var manager = Manager();

        Assert.Equal("manager", Assert.Throws<ArgumentNullException>(() => MemoryPressureManagerDumps.InstallDumpMemoryOn(null!, 1, _output)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.InstallDumpMemoryOn(0, _output)).ParamName);
        Assert.Equal("level", Assert.Throws<ArgumentOutOfRangeException>(() => manager.InstallDumpMemoryOn(2, _output)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => manager.InstallDumpMemoryOn(1, null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => manager.InstallDumpMemoryOn(1, _output, new MemoryDumpOptions { TopTypes = 0 })).ParamName);
    }
}
