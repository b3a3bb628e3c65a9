namespace MemoryPressure.Reactive.Tests.Samples;

/// <summary>Which limit a sample says the process would reach first.</summary>
public class BindingLimitTests
{
    private const long MiB = 1 << 20;

    /// <summary>A process in a 256 MiB cgroup whose GC caps the heap at 192 MiB.</summary>
    private static readonly MemorySample InContainer = new()
    {
        ProcessResidentBytes = 200 * MiB,
        ManagedHeapBytes = 150 * MiB,
        CgroupUsageBytes = 230 * MiB,
        CgroupWorkingSetBytes = 205 * MiB,
        CgroupLimitBytes = 256 * MiB,
        GcHeapHardLimitBytes = 192 * MiB,
        ProcessLimitBytes = 256 * MiB,
        ProcessLimitSource = MemoryLimitSource.Cgroup,
        SystemTotalBytes = 24L << 30,
        SystemAvailableBytes = 20L << 30,
    };

    [Fact]
    public void In_a_container_the_GC_cap_binds_while_the_heap_is_closer_to_it_than_the_working_set_to_the_cgroup_limit()
    {
        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.GcHeapHardLimit, 192 * MiB, 42 * MiB), InContainer.BindingLimit);
        Assert.Equal(42 * 100.0 / 192, InContainer.BindingLimit.HeadroomPercent, 10);
    }

    [Fact]
    public void The_cgroup_binds_when_native_memory_leaves_it_less_room_and_page_cache_does_not_count()
    {
        var native = InContainer with { CgroupWorkingSetBytes = 240 * MiB, CgroupUsageBytes = 250 * MiB };

        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.Cgroup, 256 * MiB, 16 * MiB), native.BindingLimit);

        // 150 MiB of cache on top of the same working set: the kernel drops it before it kills anything.
        var cached = InContainer with { CgroupUsageBytes = 255 * MiB, CgroupWorkingSetBytes = 105 * MiB };
        Assert.Equal(MemoryLimitSource.GcHeapHardLimit, cached.BindingLimit.Limit);
    }

    [Fact]
    public void Memory_high_binds_where_the_working_set_is_closer_to_it_than_to_any_other_limit()
    {
        var throttled = InContainer with { CgroupHighBytes = 220 * MiB, ManagedHeapBytes = 100 * MiB };

        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.CgroupHigh, 220 * MiB, 15 * MiB), throttled.BindingLimit);
        Assert.Equal(MemoryLimitSource.GcHeapHardLimit, (InContainer with { CgroupHighBytes = 250 * MiB }).BindingLimit.Limit);
    }

    [Fact]
    public void An_explicit_budget_binds_when_it_is_the_tightest()
    {
        var budget = InContainer with { ProcessLimitBytes = 210 * MiB, ProcessLimitSource = MemoryLimitSource.Explicit };

        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.Explicit, 210 * MiB, 10 * MiB), budget.BindingLimit);
    }

    [Fact]
    public void Without_a_working_set_the_resident_set_stands_in_for_it()
    {
        var noStat = InContainer with { CgroupWorkingSetBytes = 0, GcHeapHardLimitBytes = 0 };

        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.Cgroup, 256 * MiB, 56 * MiB), noStat.BindingLimit);
    }

    [Fact]
    public void With_no_limit_at_all_physical_memory_binds_and_an_empty_sample_knows_none()
    {
        var host = new MemorySample { SystemTotalBytes = 1000, SystemAvailableBytes = 300, ProcessResidentBytes = 50, ProcessLimitBytes = 1000, ProcessLimitSource = MemoryLimitSource.PhysicalMemory };

        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.PhysicalMemory, 1000, 300), host.BindingLimit);
        Assert.Equal(new MemoryHeadroom(MemoryLimitSource.Unknown, 0, 0), default(MemorySample).BindingLimit);
        Assert.Equal(0, default(MemorySample).BindingLimit.HeadroomPercent);
    }

    [Fact]
    public void Over_a_limit_the_headroom_is_negative()
    {
        var over = InContainer with { ManagedHeapBytes = 200 * MiB };

        Assert.Equal(-8 * MiB, over.BindingLimit.HeadroomBytes);
    }
}
