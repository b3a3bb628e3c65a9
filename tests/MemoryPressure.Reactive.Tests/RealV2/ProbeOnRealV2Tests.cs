using MemoryPressure.Reactive.Tests.Support;
using MemoryPressure.Reactive.UserModeLinux;
using Xunit.Abstractions;

namespace MemoryPressure.Reactive.Tests.RealV2;

/// <summary>
/// The probe in a user-mode Linux guest, on a real cgroup v2 memory controller, against the kernel's
/// own files read by the same process just before and just after the sample.
/// </summary>
[Collection(SerialTests.Name)]
public class ProbeOnRealV2Tests(ITestOutputHelper output)
{
    private const long MiB = 1L << 20;

    // Between the kernel's reads before and after the sample, the runtime may allocate or free a few pages.
    private const long Slack = 512 * 1024;

    [SkippableFact]
    public async Task Usage_and_working_set_are_the_kernels_memory_current_less_inactive_file_with_page_cache_charged_to_the_cgroup()
    {
        GuestChild.SkipUnlessAvailable();

        var result = await GuestChild.RunAsync([new GuestCgroup("pod") { MemoryMax = 256 * MiB }], "pod/app", ["kernel-probe", "64"]);
        var fields = Check(result);

        AssertBetween(fields, "current", fields.Long("CgroupUsageBytes"));
        AssertBetween(fields, "working_set", fields.Long("CgroupWorkingSetBytes"));

        // The 64 MiB file read back is charged to the cgroup, inactive: usage far above the working set.
        Assert.InRange(fields.Long("Kernel.After.file"), 64 * MiB, long.MaxValue);
        Assert.InRange(fields.Long("CgroupUsageBytes") - fields.Long("CgroupWorkingSetBytes"), 48 * MiB, long.MaxValue);
        Assert.InRange(fields.Long("CgroupWorkingSetBytes"), 1, fields.Long("CgroupUsageBytes") - (48 * MiB));
    }

    [SkippableFact]
    public async Task A_pods_limit_on_the_parent_is_the_process_limit_and_the_gc_caps_its_heap_at_75_percent_of_it()
    {
        GuestChild.SkipUnlessAvailable();

        var result = await GuestChild.RunAsync([new GuestCgroup("pod") { MemoryMax = 256 * MiB }], "pod/app", ["kernel-probe", "0"]);
        var fields = Check(result);

        Assert.Equal("max", fields["Kernel.Limit.pod/app"]);
        Assert.Equal(256 * MiB, fields.Long("Kernel.Limit.pod"));
        Assert.Equal(256 * MiB, fields.Long("CgroupLimitBytes"));
        Assert.Equal(256 * MiB, fields.Long("ProcessLimitBytes"));
        Assert.Equal(nameof(MemoryLimitSource.Cgroup), fields["ProcessLimitSource"]);
        Assert.Equal(192 * MiB, fields.Long("GcHeapHardLimitBytes"));
        AssertBetween(fields, "current", fields.Long("CgroupUsageBytes"));
        AssertBetween(fields, "working_set", fields.Long("CgroupWorkingSetBytes"));
    }

    [SkippableFact]
    public async Task A_container_limit_on_the_leaf_tighter_than_the_pods_is_the_process_limit()
    {
        GuestChild.SkipUnlessAvailable();

        var result = await GuestChild.RunAsync(
            [new GuestCgroup("pod") { MemoryMax = 256 * MiB }, new GuestCgroup("pod/app") { MemoryMax = 128 * MiB }], "pod/app", ["kernel-probe", "0"]);
        var fields = Check(result);

        Assert.Equal(128 * MiB, fields.Long("Kernel.Limit.pod/app"));
        Assert.Equal(128 * MiB, fields.Long("CgroupLimitBytes"));
        Assert.Equal(128 * MiB, fields.Long("ProcessLimitBytes"));
        Assert.Equal(96 * MiB, fields.Long("GcHeapHardLimitBytes"));
    }

    [SkippableFact]
    public async Task In_nested_pods_the_tightest_limit_up_the_tree_is_the_process_limit_wherever_it_is_set()
    {
        GuestChild.SkipUnlessAvailable();

        // The outer cgroup (a node's share, a namespace's quota) is tighter than the pod inside it.
        var result = await GuestChild.RunAsync(
            [new GuestCgroup("kubepods") { MemoryMax = 192 * MiB }, new GuestCgroup("kubepods/pod") { MemoryMax = 256 * MiB }],
            "kubepods/pod/app",
            ["kernel-probe", "0"]);
        var fields = Check(result);

        Assert.Equal("max", fields["Kernel.Limit.kubepods/pod/app"]);
        Assert.Equal(256 * MiB, fields.Long("Kernel.Limit.kubepods/pod"));
        Assert.Equal(192 * MiB, fields.Long("Kernel.Limit.kubepods"));
        Assert.Equal(192 * MiB, fields.Long("CgroupLimitBytes"));
        Assert.Equal(192 * MiB, fields.Long("ProcessLimitBytes"));
        Assert.Equal(144 * MiB, fields.Long("GcHeapHardLimitBytes"));
    }

    private static void AssertBetween(Dictionary<string, string> fields, string kernelFigure, long probed)
    {
        var before = fields.Long($"Kernel.Before.{kernelFigure}");
        var after = fields.Long($"Kernel.After.{kernelFigure}");
        Assert.InRange(probed, Math.Min(before, after) - Slack, Math.Max(before, after) + Slack);
    }

    private Dictionary<string, string> Check(GuestResult result)
    {
        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0 && result.PoweredOff, result.ToString());
        return GuestChild.Fields(result);
    }
}
