using System.Runtime.Versioning;
using MemoryPressure.Reactive.Diagnostics.Files;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Pipeline;

// File modes are checked where they exist; on Windows those tests skip.
[UnsupportedOSPlatform("windows")]
public sealed class DumpPipelineTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly MemorySample Sample = new() { ProcessResidentBytes = 1 << 20, ProcessLimitBytes = 1 << 30 };

    private readonly TemporaryDirectory _directory = new();
    private readonly FakeDumpWriter _writer = new();
    private readonly IMemoryProbe _probe = Substitute.For<IMemoryProbe>();
    private readonly StringWriter _output = new();
    private readonly SteppingTime _time = new();
    private FakeHeapAnalyser _analyser = new();

    public DumpPipelineTests() => _probe.Read().Returns(Sample);

    public void Dispose()
    {
        _output.Dispose();
        _directory.Dispose();
    }

    private DumpPipeline Pipeline() => new(_writer, _analyser, new DumpGate(), _time);

    private DumpSettings Settings(Action<MemoryDumpOptions>? configure = null)
    {
        var options = new MemoryDumpOptions { DumpDirectory = _directory.Path, MinimumFreeDiskBytes = 0, Probe = _probe };
        configure?.Invoke(options);
        return DumpSettings.From(options, "options");
    }

    private Task<MemoryDumpResult> RunAsync(DumpSettings? settings = null) =>
        Pipeline().RunAsync(_output, settings ?? Settings(), CancellationToken.None);

    [Fact]
    public async Task A_dump_is_written_analysed_reported_and_then_deleted()
    {
        var result = await RunAsync();

        Assert.True(result.Succeeded, result.FailureReason);
        var file = Assert.Single(_writer.Files);
        Assert.Equal(_directory.Path, Path.GetDirectoryName(file));
        Assert.True(DumpFileNames.IsDumpOf("memory", Path.GetFileName(file)));
        Assert.Equal([file], _analyser.Files);
        Assert.Empty(_directory.FileNames());
        Assert.Null(result.DumpFilePath);
        Assert.Equal(FakeHeapAnalyser.Breakdown.Types, result.Types);
        Assert.Equal((2, 13L, 4_000L), (result.TypeCount, result.ObjectCount, result.TotalBytes));
        Assert.Equal(SteppingTime.Start, result.Timestamp);
        Assert.Equal(Sample, result.Sample);
        Assert.Equal(BreakdownReport.Format(result), _output.ToString());
    }

    [Fact]
    public async Task The_header_joins_the_walked_figures_with_the_runtime_collection_counts()
    {
        var before = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var heap = (await RunAsync()).Heap;
        var after = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

        // The committed bytes are the walk's (the dump's segments), never the runtime's memory info,
        // which is empty until the first collection.
        Assert.Equal((1_000L, 3_000L, 8_192L), (heap.Generation0Bytes, heap.Generation2Bytes, heap.CommittedBytes));
        Assert.InRange(heap.Generation0Collections, before.Item1, after.Item1);
        Assert.InRange(heap.Generation1Collections, before.Item2, after.Item2);
        Assert.InRange(heap.Generation2Collections, before.Item3, after.Item3);
    }

    [SkippableFact]
    public async Task The_file_exists_empty_and_owner_only_before_the_runtime_writes_into_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes do not exist on Windows");
        (long Length, UnixFileMode Mode)? seen = null;
        _writer.Write = (path, _) =>
        {
            seen = (new FileInfo(path).Length, File.GetUnixFileMode(path));
            return Task.CompletedTask;
        };

        await RunAsync();

        Assert.Equal((0L, OwnerOnly), seen);
    }

    [SkippableFact]
    public async Task A_kept_dump_stays_owner_only_and_the_oldest_beyond_the_cap_are_removed()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes do not exist on Windows");
        var settings = Settings(o => (o.KeepDumpFile, o.MaximumKeptDumps) = (true, 2));

        var results = new List<MemoryDumpResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await RunAsync(settings));
        }

        Assert.All(results, r => Assert.True(r.Succeeded, r.FailureReason));
        Assert.Equal(results.Skip(1).Select(r => Path.GetFileName(r.DumpFilePath!)).Order(StringComparer.Ordinal), _directory.FileNames());
        Assert.All(_directory.FileNames(), name => Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_directory.Path, name))));
    }

    [Fact]
    public async Task With_diagnostics_unavailable_nothing_is_created_and_the_reason_is_reported()
    {
        var writer = new FakeDumpWriter { Unavailable = "diagnostics are disabled" };

        var result = await new DumpPipeline(writer, _analyser, new DumpGate(), _time).RunAsync(_output, Settings(), CancellationToken.None);

        Assert.Equal("diagnostics are disabled", result.FailureReason);
        Assert.Empty(writer.Files);
        Assert.Empty(_directory.FileNames());
        Assert.Contains("failed: diagnostics are disabled", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_runtime_s_data_access_library_nothing_is_written()
    {
        _analyser = new FakeHeapAnalyser { Unavailable = "the DAC is missing" };

        var result = await RunAsync();

        Assert.Equal("the DAC is missing", result.FailureReason);
        Assert.Empty(_writer.Files);
    }

    [Fact]
    public async Task A_writer_that_fails_gives_its_reason_and_leaves_no_file()
    {
        var failure = new InvalidOperationException("createdump could not attach");
        _writer.Write = (_, _) => Task.FromException(failure);

        var result = await RunAsync(Settings(o => o.KeepDumpFile = true));

        Assert.Equal("writing the dump failed: createdump could not attach", result.FailureReason);
        Assert.Same(failure, result.Exception);
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public async Task An_analysis_that_fails_gives_its_reason_and_leaves_no_file_even_when_dumps_are_kept()
    {
        _analyser = new FakeHeapAnalyser { Analyse = _ => throw new InvalidDataException("not a core file") };

        var result = await RunAsync(Settings(o => o.KeepDumpFile = true));

        Assert.Equal("analysing the dump failed: not a core file", result.FailureReason);
        Assert.IsType<InvalidDataException>(result.Exception);
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public async Task Too_little_disk_space_refuses_the_dump_before_anything_is_written()
    {
        var result = await RunAsync(Settings(o => o.MinimumFreeDiskBytes = long.MaxValue / 2));

        Assert.False(result.Succeeded);
        Assert.Contains("margin", result.FailureReason, StringComparison.Ordinal);
        Assert.Null(result.Exception);
        Assert.Empty(_writer.Files);
        Assert.Empty(_directory.FileNames());
    }

    [Fact]
    public async Task A_probe_that_throws_gives_its_reason()
    {
        _probe.Read().Throws(new IOException("no /proc"));

        var result = await RunAsync();

        Assert.Equal("reading the process's memory figures failed: no /proc", result.FailureReason);
        Assert.Empty(_writer.Files);
    }

    [Fact]
    public async Task A_directory_that_cannot_be_made_gives_its_reason()
    {
        var file = Path.Combine(_directory.Path, "not-a-directory");
        File.WriteAllText(file, "");

        var result = await RunAsync(Settings(o => o.DumpDirectory = file));

        Assert.StartsWith("preparing the dump directory failed: ", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_dump_while_one_runs_is_refused_at_once_and_the_first_one_finishes()
    {
        var writing = new TaskCompletionSource();
        _writer.Write = (_, _) => writing.Task;
        var pipeline = Pipeline();

        var first = pipeline.RunAsync(_output, Settings(), CancellationToken.None);
        var second = await pipeline.RunAsync(_output, Settings(), CancellationToken.None);
        writing.SetResult();

        Assert.Equal("another memory dump of this process is in progress", second.FailureReason);
        Assert.True((await first).Succeeded);
        Assert.Single(_writer.Files);
    }

    [Fact]
    public async Task Cancelling_while_the_dump_is_written_throws_removes_the_file_and_frees_the_way_for_the_next_dump()
    {
        var writing = new TaskCompletionSource();
        using var cancellation = new CancellationTokenSource();
        _writer.Write = (_, token) =>
        {
            token.Register(() => writing.TrySetCanceled(token));
            return writing.Task;
        };
        var pipeline = Pipeline();

        var dump = pipeline.RunAsync(_output, Settings(), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dump);
        Assert.Empty(_directory.FileNames());
        _writer.Write = (path, token) => File.WriteAllTextAsync(path, "dump", token);
        Assert.True((await pipeline.RunAsync(_output, Settings(), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task An_output_that_fails_turns_a_taken_dump_into_a_failure_with_the_reason()
    {
        _output.Dispose();

        var result = await RunAsync();

        Assert.StartsWith("writing the breakdown to the output failed: ", result.FailureReason, StringComparison.Ordinal);
        Assert.IsType<ObjectDisposedException>(result.Exception);
    }
}
