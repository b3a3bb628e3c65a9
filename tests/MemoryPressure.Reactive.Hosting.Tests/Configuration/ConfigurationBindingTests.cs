using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MemoryPressure.Reactive.Hosting.Tests.Configuration;

/// <summary>Options from appsettings-style files, then code; validated when the host starts, each bad key named.</summary>
public class ConfigurationBindingTests
{
    [Fact]
    public void A_good_file_binds_every_key()
    {
        using var host = Host("good.json");

        var options = host.Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(2), options.Manager.CheckInterval);
        Assert.Equal(512 * MemoryUnits.MB, options.Manager.MaximumAvailableBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Manager.HandlerTimeout);
        Assert.False(options.Manager.FollowLimitChanges);
        Assert.Equal(3, options.Levels.Count);
        Assert.Equal(new LocalRelativeValue(30), options.Levels[0].Condition);
        var trim = options.Levels[1];
        Assert.Equal("trim caches", trim.Name);
        Assert.Equal(new LocalRelativeValue(20) | new GlobalAbsoluteValue(256 * MemoryUnits.MB), trim.Condition);
        Assert.Equal(!new LocalRelativeValue(25), trim.ExitCondition);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), (trim.EnterAfter, trim.LeaveAfter));
        Assert.Equal(25, trim.CompactMemoryCachePercent);
        Assert.Equal(HealthStatus.Degraded, trim.HealthStatus);
        Assert.False(trim.ForceGcCollect);
        Assert.Null(trim.RepeatAfterGrowthPercent);
        Assert.False(trim.TrimNativeHeap);
        var last = options.Levels[2];
        Assert.Equal(new LocalRelativeValue(10) & !new GlobalRelativeValue(1), last.Condition);
        Assert.Equal((100d, HealthStatus.Unhealthy, true, true, 40d), (last.CompactMemoryCachePercent, last.HealthStatus, last.ForceGcCollect, last.TrimNativeHeap, last.RepeatAfterGrowthPercent));
        Assert.Equal(25, options.Levels[0].RepeatAfterGrowthPercent);
    }

    [Fact]
    public async Task A_good_file_starts_a_host_whose_manager_walks_the_configured_ladder()
    {
        using var host = Host("good.json");

        await host.StartAsync();
        var ladder = host.Manager().Ladder;
        await host.StopAsync();

        Assert.Equal(
            ["LocalRelative < 30%", "trim caches: LocalRelative < 20% | GlobalAbsolute < 256MB (leave on !(LocalRelative < 25%))", "last resort: LocalRelative < 10% & !(GlobalRelative < 1%)"],
            ladder.Levels.Select(l => l.ToString()));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), (ladder.GetLevel(2).EnterAfter, ladder.GetLevel(2).LeaveAfter));
        Assert.Equal([25, null, 40], ladder.Levels.Select(l => l.RepeatAfterGrowthPercent));
    }

    [Fact]
    public void A_good_file_sets_every_trigger_key()
    {
        using var host = Host("good.json");

        var triggers = host.Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value.Manager.Triggers;

        Assert.Equal(
            (false, true, "some 100000 2000000", true, false, false, false, CgroupPressureLevel.Critical, TimeSpan.FromMilliseconds(20)),
            (triggers.Gen2Collections, triggers.PressureStall, triggers.PressureStallTrigger, triggers.UsageThresholds, triggers.PressureLevel, triggers.MemoryEvents, triggers.LimitWrites, triggers.MinimumPressureLevel, triggers.MinimumGap));
    }

    [Fact]
    public void Time_spans_and_byte_counts_take_units()
    {
        using var host = Host("units.json");

        var options = host.Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromMilliseconds(250), 256 * MemoryUnits.MB, TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(20)),
            (options.Manager.CheckInterval, options.Manager.MaximumAvailableBytes, options.Manager.HandlerTimeout, options.Manager.Triggers.MinimumGap));
        Assert.Equal((TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(100)), (options.Manager.SamplingFloor, options.Manager.SamplingHorizon));
        var level = Assert.Single(options.Levels);
        Assert.Equal((new LocalAbsoluteValue(64 * MemoryUnits.MB), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), (level.Condition, level.EnterAfter, level.LeaveAfter));
    }

    [Fact]
    public void Infinite_turns_the_handler_watchdog_off()
    {
        using var host = Host("infinite-handler-timeout.json");

        Assert.Equal(Timeout.InfiniteTimeSpan, host.Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value.Manager.HandlerTimeout);
    }

    [Theory]
    [InlineData("condition-text.json", "MemoryPressure:Levels:1: level 2: Condition text \"LocalRelative < 10\": expected '%' after the percentage at position 18, found the end of the text")]
    [InlineData("condition-object.json", "MemoryPressure:Levels:0:Condition: level 1: Condition text \"LocalRelative << 10%\": expected a number at position 15, found '<'")]
    [InlineData("exit-condition.json", "MemoryPressure:Levels:0:ExitCondition: level 1: Condition text \"!(LocalRelative < 20%\": expected ')' at position 21, found the end of the text")]
    [InlineData("check-interval-text.json", "MemoryPressure:CheckInterval: expected a time span such as \"250ms\", \"1.5s\", \"5min\", \"1h\" or \"00:00:00.250\", found \"soon\"")]
    [InlineData("check-interval-negative.json", "MemoryPressure:CheckInterval: the check interval must be positive and at most a day, was -00:00:01")]
    [InlineData("check-interval-too-long.json", "MemoryPressure:CheckInterval: the check interval must be positive and at most a day, was 2.00:00:00")]
    [InlineData("handler-timeout-zero.json", "MemoryPressure:HandlerTimeout: the handler timeout must be positive and at most a day, or Timeout.InfiniteTimeSpan, was 00:00:00")]
    [InlineData("sampling-floor-too-long.json", "MemoryPressure:SamplingFloor: the sampling floor must be at most the check interval (00:00:00.2500000), was 00:00:01")]
    [InlineData("sampling-horizon-zero.json", "MemoryPressure:SamplingHorizon: the sampling horizon must be positive, was 00:00:00")]
    [InlineData("maximum-unit.json", "MemoryPressure:MaximumAvailableBytes: expected a byte count such as 536870912, \"512MiB\", \"512 MB\" or \"1.5GiB\", found \"512 MiBytes\"")]
    [InlineData("maximum-zero.json", "MemoryPressure:MaximumAvailableBytes: the maximum available bytes must be positive, was 0")]
    [InlineData("unknown-key.json", "MemoryPressure:ChekInterval: unknown key, expected one of CheckInterval, SamplingFloor, SamplingHorizon, MaximumAvailableBytes, HandlerTimeout, FollowLimitChanges, Triggers or Levels")]
    [InlineData("follow-limit-changes.json", "MemoryPressure:FollowLimitChanges: expected true or false, found \"sometimes\"")]
    [InlineData("triggers-unknown-key.json", "MemoryPressure:Triggers:Psi: unknown key, expected one of Gen2Collections, Collections, PressureStall, PressureStallTrigger, UsageThresholds, PressureLevel, MemoryEvents, LimitWrites, MinimumPressureLevel or MinimumGap")]
    [InlineData("triggers-flag.json", "MemoryPressure:Triggers:Gen2Collections: expected true or false, found \"on\"")]
    [InlineData("triggers-level.json", "MemoryPressure:Triggers:MinimumPressureLevel: expected Medium or Critical, found \"Low\"")]
    [InlineData("unknown-level-key.json", "MemoryPressure:Levels:0:CompactPercent: level 1: unknown key, expected one of Condition, ExitCondition, EnterAfter, LeaveAfter, Name, CompactMemoryCachePercent, HealthStatus, ForceGcCollect, TrimNativeHeap or RepeatAfterGrowthPercent")]
    [InlineData("missing-condition.json", "MemoryPressure:Levels:1:Condition: level 2 has no condition")]
    [InlineData("levels-not-an-array.json", "MemoryPressure:Levels: expected an array of levels, found \"LocalRelative < 10%\"")]
    [InlineData("levels-empty.json", "MemoryPressure:Levels: expected an array of at least one level, found an empty one (leave the key out for the default ladder)")]
    [InlineData("levels-empty-object.json", "MemoryPressure:Levels: expected an array of at least one level, found an empty one (leave the key out for the default ladder)")]
    [InlineData("triggers-psi.json", "MemoryPressure:Triggers:PressureStallTrigger: 'often' is not a PSI trigger: expected \"some\" or \"full\", a stall time of 1 µs or more, and a window from 500000 to 10000000 µs no shorter than the stall time, as in \"some 150000 1000000\"")]
    [InlineData("triggers-gap-negative.json", "MemoryPressure:Triggers:MinimumGap: the minimum gap must be between zero and one hour, was -00:00:01")]
    [InlineData("enter-after-negative.json", "MemoryPressure:Levels:0:EnterAfter: level 1: must not be negative, was -00:00:05")]
    [InlineData("leave-after-text.json", "MemoryPressure:Levels:0:LeaveAfter: level 1: expected a time span such as \"250ms\", \"1.5s\", \"5min\", \"1h\" or \"00:00:00.250\", found \"a while\"")]
    [InlineData("compaction-range.json", "MemoryPressure:Levels:0:CompactMemoryCachePercent: level 1: the percentage must be in (0, 100], was 150")]
    [InlineData("compaction-text.json", "MemoryPressure:Levels:0:CompactMemoryCachePercent: level 1: expected a percentage such as 25 or \"25%\", found \"half\"")]
    [InlineData("health-status.json", "MemoryPressure:Levels:0:HealthStatus: level 1: expected Healthy, Degraded or Unhealthy, found \"Sick\"")]
    [InlineData("force-gc.json", "MemoryPressure:Levels:0:ForceGcCollect: level 1: expected true or false, found \"yes\"")]
    [InlineData("trim-native-heap.json", "MemoryPressure:Levels:0:TrimNativeHeap: level 1: expected true or false, found \"glibc\"")]
    [InlineData("repeat-text.json", "MemoryPressure:Levels:0:RepeatAfterGrowthPercent: level 1: expected a percentage such as 25 or \"25%\", or Never, found \"often\"")]
    [InlineData("repeat-range.json", "MemoryPressure:Levels:0:RepeatAfterGrowthPercent: level 1: the percentage must be in (0, 100], was 0")]
    [InlineData("repeat-over.json", "MemoryPressure:Levels:0:RepeatAfterGrowthPercent: level 1: the percentage must be in (0, 100], was 150")]
    [InlineData("repeat-nan.json", "MemoryPressure:Levels:0:RepeatAfterGrowthPercent: level 1: the percentage must be in (0, 100], was NaN")]
    public async Task A_bad_file_fails_the_start_naming_the_bad_key_and_what_was_expected(string file, string failure)
    {
        using var host = Host($"bad/{file}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal([failure], error.Failures);
    }

    [Theory]
    [InlineData("no-levels.json", true)]
    [InlineData("empty-section.json", false)]
    public async Task Without_any_level_the_host_watches_the_process_limit_and_the_GC_cap_with_the_default_ladder(string file, bool memoryCache)
    {
        using var host = Host(file, memoryCache: memoryCache);
        await host.StartAsync();

        var levels = host.Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value.Levels;
        var ladder = host.Services.GetRequiredService<MemoryPressureManager>().Ladder;

        Assert.Equal(["trim", "shed", "critical"], levels.Select(l => l.Name));
        Assert.Equal(
            ["LocalRelative < 25% | HeapRelative < 30%", "LocalRelative < 15% | HeapRelative < 20%", "LocalRelative < 5% | HeapRelative < 10%"],
            Enumerable.Range(1, ladder.Count).Select(l => ladder.GetLevel(l).Condition.ToString()));
        Assert.Equal([false, true, true], levels.Select(l => l.ForceGcCollect));
        Assert.Equal([false, true, true], levels.Select(l => l.TrimNativeHeap));
        Assert.Equal([25, 25, 25], ladder.Levels.Select(l => l.RepeatAfterGrowthPercent));
        Assert.Equal(memoryCache ? [25d, 50d, 100d] : [null, null, null], levels.Select(l => l.CompactMemoryCachePercent));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_level_given_in_code_replaces_the_whole_default_ladder()
    {
        using var host = Host("no-levels.json", services => services.AddMemoryPressure(o => o.Levels.Add(new MemoryPressureLevelOptions { Condition = new HeapRelativeValue(5) })));
        await host.StartAsync();

        Assert.Equal("HeapRelative < 5%", Assert.Single(host.Services.GetRequiredService<MemoryPressureManager>().Ladder.Levels).Condition.ToString());
        await host.StopAsync();
    }

    [Fact]
    public async Task Every_bad_key_of_a_file_is_named_once()
    {
        using var host = Host("bad/several.json");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            [
                "MemoryPressure:CheckInterval: the check interval must be positive and at most a day, was 00:00:00",
                "MemoryPressure:Levels:0: level 1: Condition text \"GlobalRelative < 0%\": expected a percentage in (0, 100] at position 17, found '0'",
                "MemoryPressure:Levels:1:HealthStatus: level 2: expected Healthy, Degraded or Unhealthy, found \"Fine\"",
            ],
            error.Failures);
        Assert.Equal(
            "MemoryPressure:CheckInterval: the check interval must be positive and at most a day, was 00:00:00; "
            + "MemoryPressure:Levels:0: level 1: Condition text \"GlobalRelative < 0%\": expected a percentage in (0, 100] at position 17, found '0'; "
            + "MemoryPressure:Levels:1:HealthStatus: level 2: expected Healthy, Degraded or Unhealthy, found \"Fine\"",
            error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_levels_key_with_no_level_in_it_fails_the_start_as_the_JSON_provider_gives_it_or_as_an_environment_variable_does(string? value)
    {
        // What the JSON provider yields for "Levels": [] (an empty value, no children), and what
        // MemoryPressure__Levels= in the environment or a provider that keeps nulls yields.
        var json = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "fixtures", "bad", "levels-empty.json")).Build();
        Assert.Equal([new KeyValuePair<string, string?>("MemoryPressure:Levels", string.Empty)], json.AsEnumerable().Where(e => e.Key.StartsWith("MemoryPressure:", StringComparison.Ordinal)));
        var builder = TestHosts.Builder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MemoryPressure:Levels"] = value });
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = System.Reactive.Linq.Observable.Never<MemorySample>());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("MemoryPressure:Levels: expected an array of at least one level, found an empty one (leave the key out for the default ladder)", error.Message);
    }

    [Fact]
    public async Task A_health_status_set_in_code_that_is_none_is_named_like_a_bad_file_value()
    {
        using var host = Host("ladder.json", services => services.AddMemoryPressure(o => o.Levels[0].HealthStatus = (HealthStatus)7));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("MemoryPressure:Levels:0:HealthStatus: level 1: expected Healthy, Degraded or Unhealthy, found 7", error.Message);
    }

    [Fact]
    public async Task Compaction_without_a_memory_cache_fails_the_start_and_says_how_to_register_one()
    {
        using var host = Host("good.json", memoryCache: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            [
                "MemoryPressure:Levels:1:CompactMemoryCachePercent: level 2 compacts the IMemoryCache, but none is registered: call services.AddMemoryCache()",
                "MemoryPressure:Levels:2:CompactMemoryCachePercent: level 3 compacts the IMemoryCache, but none is registered: call services.AddMemoryCache()",
            ],
            error.Failures);
    }

    [Fact]
    public void Code_runs_after_configuration_and_can_change_and_add_levels()
    {
        var custom = new CustomCondition(sample => sample.ManagedHeapBytes > 1000);
        using var host = Host("ladder.json", services => services.AddMemoryPressure(o =>
        {
            o.Levels[0].Name = "first";
            o.Levels.Add(new MemoryPressureLevelOptions { Condition = custom });
        }));

        var ladder = host.Manager().Ladder;

        Assert.Equal(4, ladder.Count);
        Assert.Equal("first", ladder.GetLevel(1).Name);
        Assert.Same(custom, ladder.GetLevel(4).Condition);
    }

    [Fact]
    public async Task Levels_set_in_code_are_validated_under_the_same_keys()
    {
        using var host = Host("ladder.json", services => services.AddMemoryPressure(o =>
        {
            o.Levels[2].CompactMemoryCachePercent = 0;
            o.Levels.Add(new MemoryPressureLevelOptions { LeaveAfter = TimeSpan.FromSeconds(-1) });
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            [
                "MemoryPressure:Levels:2:CompactMemoryCachePercent: level 3: the percentage must be in (0, 100], was 0",
                "MemoryPressure:Levels:3:Condition: level 4 has no condition",
                "MemoryPressure:Levels:3:LeaveAfter: level 4: must not be negative, was -00:00:01",
            ],
            error.Failures);
    }

    [Fact]
    public async Task A_floor_set_in_code_above_the_check_interval_fails_the_start_by_the_cores_rule_under_its_key()
    {
        using var host = Host("ladder.json", services => services.AddMemoryPressure(o =>
            (o.Manager.CheckInterval, o.Manager.SamplingFloor) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200))));
        var rule = Assert.Throws<ArgumentOutOfRangeException>(new MemoryPressureOptions { CheckInterval = TimeSpan.FromMilliseconds(100), SamplingFloor = TimeSpan.FromMilliseconds(200) }.Validate);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.StartsWith("The sampling floor must be at most the check interval (00:00:00.1000000).", rule.Message);
        Assert.Equal("MemoryPressure:SamplingFloor: the sampling floor must be at most the check interval (00:00:00.1000000), was 00:00:00.2000000", error.Message);
    }

    [Fact]
    public void Keys_and_kinds_are_case_insensitive_and_units_and_percent_signs_optional()
    {
        var builder = TestHosts.Builder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["memorypressure:maximumavailablebytes"] = "1073741824",
            ["MEMORYPRESSURE:LEVELS:0:condition"] = "globalabsolute < 1gb",
            ["MemoryPressure:Levels:0:CompactMemoryCachePercent"] = "12.5",
        });
        builder.Services.AddMemoryPressure().AddMemoryCache();

        var options = builder.Build().Services.GetRequiredService<IOptions<MemoryPressureHostingOptions>>().Value;

        Assert.Equal(MemoryUnits.GB, options.Manager.MaximumAvailableBytes);
        Assert.Equal(new GlobalAbsoluteValue(MemoryUnits.GB), options.Levels[0].Condition);
        Assert.Equal(12.5, options.Levels[0].CompactMemoryCachePercent);
    }

    private static IHost Host(string file, Action<IServiceCollection>? services = null, bool memoryCache = true)
    {
        var builder = TestHosts.Builder(file);
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = System.Reactive.Linq.Observable.Never<MemorySample>());
        if (memoryCache)
        {
            builder.Services.AddMemoryCache();
        }

        services?.Invoke(builder.Services);
        return builder.Build();
    }
}
