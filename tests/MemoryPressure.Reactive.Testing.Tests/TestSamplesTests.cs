namespace MemoryPressure.Reactive.Testing.Tests;

public class TestSamplesTests
{
    [Fact]
    public void The_builders_set_the_figures_the_conditions_read()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var sample = TestSamples.Process(80 * MemoryUnits.MB, 100 * MemoryUnits.MB)
            .WithHeap(60 * MemoryUnits.MB, 75 * MemoryUnits.MB)
            .WithSystem(1 * MemoryUnits.GB, 4 * MemoryUnits.GB)
            .At(at);

        Assert.Equal(
            new MemorySample
            {
                Timestamp = at,
                ProcessResidentBytes = 80 * MemoryUnits.MB,
                ProcessLimitBytes = 100 * MemoryUnits.MB,
                ProcessLimitSource = MemoryLimitSource.Cgroup,
                CgroupUsageBytes = 80 * MemoryUnits.MB,
                CgroupWorkingSetBytes = 80 * MemoryUnits.MB,
                CgroupLimitBytes = 100 * MemoryUnits.MB,
                ManagedHeapBytes = 60 * MemoryUnits.MB,
                GcHeapHardLimitBytes = 75 * MemoryUnits.MB,
                SystemAvailableBytes = 1 * MemoryUnits.GB,
                SystemTotalBytes = 4 * MemoryUnits.GB,
            },
            sample);
        Assert.True(new LocalRelativeValue(25).CanFire(sample));
        Assert.True(new HeapRelativeValue(25).CanFire(sample));
        Assert.False(new GlobalRelativeValue(25).CanFire(sample));
    }

    [Fact]
    public void Bad_figures_are_refused_naming_the_parameter()
    {
        Assert.Equal("residentBytes", Assert.Throws<ArgumentOutOfRangeException>(() => TestSamples.Process(-1, 100)).ParamName);
        Assert.Equal("limitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => TestSamples.Process(1, 0)).ParamName);
        Assert.Equal("heapBytes", Assert.Throws<ArgumentOutOfRangeException>(() => default(MemorySample).WithHeap(-1, 0)).ParamName);
        Assert.Equal("heapLimitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => default(MemorySample).WithHeap(0, -1)).ParamName);
        Assert.Equal("availableBytes", Assert.Throws<ArgumentOutOfRangeException>(() => default(MemorySample).WithSystem(5, 4)).ParamName);
        Assert.Equal("totalBytes", Assert.Throws<ArgumentOutOfRangeException>(() => default(MemorySample).WithSystem(0, -4)).ParamName);
    }
}
