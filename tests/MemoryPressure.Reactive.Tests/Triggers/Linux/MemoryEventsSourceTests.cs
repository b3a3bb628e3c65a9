using System.Text;
using MemoryPressure.Reactive.Probes.Linux;
using MemoryPressure.Reactive.Triggers;
using MemoryPressure.Reactive.Triggers.Linux;

namespace MemoryPressure.Reactive.Tests.Triggers.Linux;

/// <summary>
/// The cgroup v2 <c>memory.events</c> source, on a v2 hierarchy of fixture files in the kernel's
/// format (this machine has no v2 memory controller): which files it watches, that a growing counter
/// of pressure requests a sample through inotify, and why it does not start.
/// </summary>
public sealed class MemoryEventsSourceTests : IDisposable
{
    private const string Quiet = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n";
    private const long Limit = 256L << 20;

    private readonly string _root = Directory.CreateTempSubdirectory("mpr-memory-events-").FullName;
    private readonly RecordingSink _sink = new();
    private KernelEventWatcher? _watcher;

    /// <summary>Gets the process's cgroup, <c>service</c>, in <c>pod</c>, under the root the process sees.</summary>
    private string Service => Path.Combine(_root, "pod", "service");

    private string Pod => Path.Combine(_root, "pod");

    private CgroupLocation Location => new(null, Service) { V2MountPoint = _root };

    [Fact]
    public void The_kernels_counters_of_pressure_grow_and_low_alone_is_not_pressure()
    {
        var counts = new long[MemoryEventCounts.Count];
        Assert.False(MemoryEventCounts.Update(Encoding.ASCII.GetBytes(Quiet), counts));

        Assert.False(MemoryEventCounts.Update("low 7\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"u8, counts));
        Assert.True(MemoryEventCounts.Update("low 7\nhigh 1\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"u8, counts));
        Assert.False(MemoryEventCounts.Update("low 7\nhigh 1\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"u8, counts));
        Assert.True(MemoryEventCounts.Update("low 7\nhigh 1\nmax 0\noom 0\noom_kill 1\noom_group_kill 0\n"u8, counts));

        // A file being rewritten (empty, or cut short) keeps the counts it does not show.
        Assert.False(MemoryEventCounts.Update(""u8, counts));
        Assert.False(MemoryEventCounts.Update("low 7\nhigh 1\n"u8, counts));
        Assert.True(MemoryEventCounts.Update("low 7\nhigh 1\nmax 4\noom 0\noom_kill 1\noom_group_kill 0\n"u8, counts));
        Assert.Equal([1, 4, 0, 1, 0], counts);
    }

    [SkippableFact]
    public void Only_cgroups_with_a_limit_are_watched_the_process_s_own_and_its_ancestors()
    {
        Cgroup(Service, max: "max", high: "max");
        Cgroup(Pod, max: $"{Limit}", high: "max");

        var source = Start(Location);

        var status = source.Status.Snapshot();
        Assert.Equal(TriggerState.Active, status.State);
        Assert.Equal($"high, max and oom events in {Path.Combine(Pod, "memory.events")} (memory.max {Limit})", status.Detail);
    }

    [SkippableFact]
    public void A_limit_reached_in_an_ancestor_requests_a_sample_and_only_then()
    {
        Cgroup(Service, max: "max", high: $"{Limit / 2}");
        Cgroup(Pod, max: $"{Limit}", high: "max");
        var source = Start(Location);
        Assert.Contains($"{Path.Combine(Service, "memory.events")} (memory.high {Limit / 2}), {Path.Combine(Pod, "memory.events")} (memory.max {Limit})", source.Status.Snapshot().Detail);

        // Rewritten in place, in one write, as the kernel's file changes: reclaim below memory.low first.
        Rewrite(Pod, "low 1\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        Rewrite(Pod, "low 1\nhigh 0\nmax 1\noom 0\noom_kill 0\noom_group_kill 0\n");

        Assert.True(_sink.Requests.Wait(TimeSpan.FromSeconds(10)), "no sample requested for the pod reaching memory.max");
        Assert.Equal(TriggerSource.MemoryEvents, _sink.LastSource);
        Assert.Equal(1, source.Status.Snapshot().Signals);
        Assert.Empty(_sink.Errors);
    }

    [SkippableFact]
    public void An_ancestor_that_gets_a_limit_while_the_process_runs_is_watched_from_then_on()
    {
        Cgroup(Service, max: $"{Limit}", high: "max");
        Cgroup(Pod, max: "max", high: "max");
        var source = Start(Location);
        Assert.DoesNotContain(Path.Combine(Pod, "memory.events"), source.Status.Snapshot().Detail, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(Pod, "memory.max"), $"{Limit / 2}\n");
        Assert.True(_sink.Requests.Wait(TimeSpan.FromSeconds(10)), "no sample requested when the pod got a limit");
        Assert.Contains($"{Path.Combine(Pod, "memory.events")} (memory.max {Limit / 2}, set while running)", source.Status.Snapshot().Detail, StringComparison.Ordinal);

        Rewrite(Pod, "low 0\nhigh 0\nmax 3\noom 0\noom_kill 0\noom_group_kill 0\n");
        Assert.True(_sink.Requests.Wait(TimeSpan.FromSeconds(10)), "no sample requested for the pod reaching its new memory.max");
        Assert.Equal(2, source.Status.Snapshot().Signals);
        Assert.Empty(_sink.Errors);
    }

    [SkippableFact]
    public void The_process_s_own_memory_high_is_heard_too()
    {
        Cgroup(Service, max: "max", high: $"{Limit / 2}");
        var source = Start(Location);

        Rewrite(Service, "low 0\nhigh 9\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");

        Assert.True(_sink.Requests.Wait(TimeSpan.FromSeconds(10)), "no sample requested for memory.high");
    }

    [SkippableFact]
    public void Without_a_limit_anywhere_the_source_is_unavailable_and_says_why()
    {
        Cgroup(Service, max: "max", high: "max");
        Cgroup(Pod, max: "max", high: "max");

        var source = Start(Location);

        var status = source.Status.Snapshot();
        Assert.Equal(
            (TriggerSource.MemoryEvents, TriggerState.Unavailable, $"neither {Service} nor an ancestor has a memory.high or memory.max set"),
            (status.Source, status.State, status.Detail));
    }

    [SkippableFact]
    public void A_limit_that_cannot_be_read_counts_as_unset_and_does_not_throw()
    {
        Cgroup(Service, max: "max", high: "max");
        Directory.CreateDirectory(Pod);
        File.WriteAllText(Path.Combine(Pod, "memory.events"), Quiet);
        Directory.CreateDirectory(Path.Combine(Pod, "memory.max"));

        var status = Start(Location).Status.Snapshot();

        Assert.Equal((TriggerState.Unavailable, $"neither {Service} nor an ancestor has a memory.high or memory.max set"), (status.State, status.Detail));
    }

    [SkippableFact]
    public void Without_a_v2_memory_controller_the_source_is_unavailable_and_says_why()
    {
        Directory.CreateDirectory(Service);

        var source = Start(Location);
        var outside = Start(new CgroupLocation(null, null));

        Assert.Equal($"{Path.Combine(Service, "memory.events")} does not exist: the process's v2 cgroup has no memory controller", source.Status.Snapshot().Detail);
        Assert.Equal((TriggerState.Unavailable, "the process is in no cgroup v2 hierarchy"), (outside.Status.State, outside.Status.Snapshot().Detail));
    }

    [SkippableFact]
    public void A_watched_file_that_goes_away_fails_the_source_once_and_says_which()
    {
        Cgroup(Pod, max: $"{Limit}", high: "max");
        Directory.CreateDirectory(Service);
        var source = Start(Location);
        Assert.Equal(TriggerState.Active, source.Status.State);

        File.Delete(Path.Combine(Pod, "memory.events"));

        Assert.True(_sink.Failed.Wait(TimeSpan.FromSeconds(10)), "the removal was not reported");
        var status = source.Status.Snapshot();
        Assert.Equal((TriggerState.Failed, $"{Path.Combine(Pod, "memory.events")} gone: the cgroup was removed"), (status.State, status.Detail));
        Assert.Single(_sink.Errors);
    }

    [SkippableFact]
    public void On_this_machine_the_source_finds_the_process_s_own_v2_cgroup()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "cgroups are Linux's");
        var location = CgroupLocation.Of(0);
        Skip.If(location.V2Directory is null, "this process is in no cgroup v2 hierarchy");

        var status = Start(location).Status.Snapshot();

        // Here (a hybrid host, the memory controller on v1) the v2 cgroup has no memory.events.
        var events = Path.Combine(location.V2Directory!, "memory.events");
        if (File.Exists(events))
        {
            Assert.NotEqual(TriggerState.Failed, status.State);
        }
        else
        {
            Assert.Equal((TriggerState.Unavailable, $"{events} does not exist: the process's v2 cgroup has no memory controller"), (status.State, status.Detail));
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private MemoryEventsSource Start(CgroupLocation location)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "inotify and eventfd are Linux's");
        _watcher ??= new KernelEventWatcher(TimeSpan.Zero);
        return MemoryEventsSource.Start(location, _watcher, _sink);
    }

    private static void Cgroup(string directory, string max, string high)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "memory.events"), Quiet);
        File.WriteAllText(Path.Combine(directory, "memory.max"), max + "\n");
        File.WriteAllText(Path.Combine(directory, "memory.high"), high + "\n");
    }

    /// <summary>Writes a file of the same length over the old text in one call, so no reader sees it cut short.</summary>
    private static void Rewrite(string directory, string text)
    {
        using var file = new FileStream(Path.Combine(directory, "memory.events"), FileMode.Open, FileAccess.Write);
        file.Write(Encoding.ASCII.GetBytes(text));
    }

    private sealed class RecordingSink : ITriggerSink
    {
        public SemaphoreSlim Requests { get; } = new(0);

        public SemaphoreSlim Failed { get; } = new(0);

        public List<Exception> Errors { get; } = [];

        public TriggerSource? LastSource { get; private set; }

        public void Request(TriggerSource source)
        {
            LastSource = source;
            Requests.Release();
        }

        public void Report(Exception error)
        {
            lock (Errors)
            {
                Errors.Add(error);
            }

            Failed.Release();
        }
    }
}
