using System.Globalization;
using MemoryPressure.Reactive.Tests.Triggers.Linux;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Tests.Manager;

/// <summary>A child's v1 memory limit moved while it runs, followed by its default manager and the real GC.</summary>
[Collection(SerialTests.Name)]
public class LimitChangesOnThisMachineTests
{
    private const long MiB = 1L << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData(1024, 512)]
    [InlineData(256, 1024)]
    public void A_moved_limit_refreshes_the_GC_and_the_next_sample_shows_its_new_cap(long fromMiB, long toMiB)
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var cgroup = TemporaryMemoryCgroup.Create(fromMiB * MiB);
        using var child = cgroup.Start(TestChild.DotnetHost, TestChild.Assembly, "follow");
        var output = new ChildOutput(child);
        output.WaitFor("ready", Bound);

        cgroup.Write("memory.limit_in_bytes", toMiB * MiB);

        var change = output.WaitFor("change Cgroup", Bound).Split(' ');
        Assert.Equal([(fromMiB * MiB).ToString(CultureInfo.InvariantCulture), (toMiB * MiB).ToString(CultureInfo.InvariantCulture), "GcLimitRefreshed"], change[2..5]);
        var cap = toMiB * MiB * 3 / 4;
        Assert.Equal(cap, long.Parse(change[5], CultureInfo.InvariantCulture));

        // The GC's configuration variable reads 0 after a refresh: the sample must show the cap all the same.
        Assert.Equal(cap, long.Parse(output.WaitFor("sample-gc-cap", Bound).Split(' ')[1], CultureInfo.InvariantCulture));
        child.StandardInput.Close();
        Assert.True(child.WaitForExit(Bound));
    }

    [SkippableFact]
    public void A_limit_raised_before_the_manager_starts_is_followed_at_its_first_sample()
    {
        var unavailable = TemporaryMemoryCgroup.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var cgroup = TemporaryMemoryCgroup.Create(256 * MiB);
        using var child = cgroup.Start(TestChild.DotnetHost, TestChild.Assembly, "follow", "late");
        var output = new ChildOutput(child);
        output.WaitFor("started", Bound);

        // The child's GC has read 256 MiB at its start; the limit moves before its manager exists.
        cgroup.Write("memory.limit_in_bytes", 1024 * MiB);
        child.StandardInput.WriteLine("start");

        var change = output.WaitFor("change", Bound).Split(' ');
        Assert.Equal(["GcHeapHardLimit", (192 * MiB).ToString(CultureInfo.InvariantCulture), (768 * MiB).ToString(CultureInfo.InvariantCulture), "GcLimitRefreshed"], change[1..5]);
        Assert.Equal(768 * MiB, long.Parse(output.WaitFor("sample-gc-cap", Bound).Split(' ')[1], CultureInfo.InvariantCulture));
        child.StandardInput.Close();
        Assert.True(child.WaitForExit(Bound));
    }
}
