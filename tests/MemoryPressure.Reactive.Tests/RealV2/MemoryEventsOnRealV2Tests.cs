using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.UserModeLinux;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.RealV2;

/// <summary>
/// The <see cref="TriggerSource.MemoryEvents"/> source of a default manager in a user-mode Linux guest,
/// hearing real <c>high</c>, <c>max</c> and <c>oom_kill</c> events of a pod's <c>memory.events</c>.
/// </summary>
/// <remarks>
/// The child polls every ten minutes, so its samples are the triggers'; the sample that counts is one
/// the source caused (its signal count grew since the last sample) that finds the kernel's counter
/// moved. The latency runs from the child's last read (after each MiB grown or written, or every 5 ms)
/// that found the counter quiet, so it is never shorter than the true one. Anonymous memory grows at about 17 MB/s in the guest: the limits are small.
/// </remarks>
[Collection(SerialTests.Name)]
public class MemoryEventsOnRealV2Tests(ITestOutputHelper output)
{
    private const long MiB = 1L << 20;
    private const string PodEvents = "/sys/fs/cgroup/pod/memory.events";

    // Measured at 10 to 60 ms on the guest's one CPU; a second still says "at once" beside a 1 s poll.
    private const double MostLatencyMs = 1000;

    [SkippableFact]
    public async Task Native_memory_grown_past_a_pods_memory_high_fires_the_memory_events_source_at_once()
    {
        GuestChild.SkipUnlessAvailable();

        var result = await GuestChild.RunAsync(
            [new GuestCgroup("pod") { MemoryMax = 192 * MiB, MemoryHigh = 96 * MiB }],
            "pod/app",
            ["memory-events", "high", PodEvents, "grow", "160", "20"]);

        var fields = CheckFired(result, "memory.high 100663296");
        Assert.InRange(result.Counts("pod/memory.events")["high"], 1, long.MaxValue);
        Assert.Equal(0, result.Counts("pod/memory.events")["oom_kill"]);
        Assert.InRange(fields.Long("GrownMiB"), 1, 159);
    }

    [SkippableFact]
    public async Task Page_cache_filling_a_pods_memory_max_fires_the_memory_events_source_at_once()
    {
        GuestChild.SkipUnlessAvailable();

        // Clean page cache is reclaimed at the limit: max events without an OOM kill.
        var result = await GuestChild.RunAsync(
            [new GuestCgroup("pod") { MemoryMax = 96 * MiB }],
            "pod/app",
            ["memory-events", "max", PodEvents, "write", "160", "20"]);

        CheckFired(result, "memory.max 100663296");
        Assert.InRange(result.Counts("pod/memory.events")["max"], 1, long.MaxValue);
        Assert.Equal(0, result.Counts("pod/memory.events")["oom_kill"]);
    }

    [SkippableFact]
    public async Task An_oom_kill_in_a_sibling_cgroup_under_the_pod_fires_the_memory_events_source_of_the_process_beside_it()
    {
        GuestChild.SkipUnlessAvailable();

        // Once the child is ready, a shell in pod/hog doubles a string until its 24 MiB limit kills it;
        // the pod's memory.events counts its subtree's events.
        var hog = "until grep -q ready \"$UML_PROGRAM_OUTPUT\"; do sleep 0.1; done; "
            + "sh -c 'echo $$ > /sys/fs/cgroup/pod/hog/cgroup.procs; x=a; while :; do x=\"$x$x\"; done'";
        var result = await GuestChild.RunAsync(
            [new GuestCgroup("pod") { MemoryMax = 256 * MiB }, new GuestCgroup("pod/hog") { MemoryMax = 24 * MiB }],
            "pod/app",
            ["memory-events", "oom_kill", PodEvents, "wait", "0", "20"],
            [hog]);

        CheckFired(result, "memory.max 268435456");
        Assert.Equal(1, result.Counts("pod/hog/memory.events.local")["oom_kill"]);
        Assert.Equal(1, result.Counts("pod/memory.events")["oom_kill"]);
        Assert.Equal(0, result.Counts("pod/app/memory.events")["oom_kill"]);
    }

    /// <summary>Checks that the source watched the pod's file and that a sample it caused came soon after the kernel's event.</summary>
    private Dictionary<string, string> CheckFired(GuestResult result, string podLimit)
    {
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0 && result.PoweredOff, result.ToString());
        var fields = GuestChild.Fields(result);

        Assert.StartsWith("MemoryEvents: Active", fields["Status"], StringComparison.Ordinal);
        Assert.Contains($"{PodEvents} (", fields["Status"], StringComparison.Ordinal);
        Assert.Contains(podLimit, fields["Status"], StringComparison.Ordinal);
        Assert.True(fields["EventSeen"] == "True", $"the kernel's counter never moved:\n{result}");
        Assert.True(fields["SampleSeen"] == "True", $"no sample came from the MemoryEvents source:\n{result}");
        Assert.InRange(fields.Long("EventSamples"), 1, long.MaxValue);
        Assert.InRange(fields.Double("LatencyMs"), 0, MostLatencyMs);
        output.WriteLine($"latency from the kernel's event to the sample: {fields["LatencyMs"]} ms");
        return fields;
    }
}
