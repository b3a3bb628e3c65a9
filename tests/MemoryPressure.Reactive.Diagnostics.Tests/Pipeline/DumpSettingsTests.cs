using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Pipeline;

public class DumpSettingsTests
{
    public static TheoryData<Type, string, Action<MemoryDumpOptions>> Refused => new()
    {
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.TopTypes), o => o.TopTypes = 0 },
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.TopTypes), o => o.TopTypes = MemoryDumpOptions.MaximumTopTypes + 1 },
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.MinimumFreeDiskBytes), o => o.MinimumFreeDiskBytes = -1 },
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.MaximumKeptDumps), o => o.MaximumKeptDumps = 0 },
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.MinimumInterval), o => o.MinimumInterval = TimeSpan.FromTicks(-1) },
        { typeof(ArgumentOutOfRangeException), nameof(MemoryDumpOptions.MaximumDumps), o => o.MaximumDumps = 0 },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.FilePrefix), o => o.FilePrefix = "../escape" },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.FilePrefix), o => o.FilePrefix = "dir/name" },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.FilePrefix), o => o.FilePrefix = "" },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.DumpDirectory), o => o.KeepDumpFile = true },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.DumpDirectory), o => (o.KeepDumpFile, o.DumpDirectory) = (true, " ") },
        { typeof(ArgumentException), nameof(MemoryDumpOptions.DumpDirectory), o => o.DumpDirectory = "dumps\0" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_out_of_range_or_not_allowed_is_refused_naming_the_parameter_and_the_property(Type exception, string property, Action<MemoryDumpOptions> configure)
    {
        var options = new MemoryDumpOptions();
        configure(options);

        var e = Assert.ThrowsAny<ArgumentException>(() => DumpSettings.From(options, "options"));

        Assert.IsType(exception, e);
        Assert.Equal("options", e.ParamName);
        Assert.Contains($"MemoryDumpOptions.{property}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_options_give_the_documented_defaults()
    {
        var settings = DumpSettings.From(null, "options");

        Assert.Equal(20, settings.TopTypes);
        Assert.False(settings.KeepDumpFile);
        Assert.Null(settings.DumpDirectory);
        Assert.Equal("memory", settings.FilePrefix);
        Assert.Equal(1L << 30, settings.MinimumFreeDiskBytes);
        Assert.Equal(3, settings.MaximumKeptDumps);
        Assert.Equal(new DumpLimits(TimeSpan.FromMinutes(1), 10), settings.Limits);
        Assert.Same(MemoryProbe.Default, settings.Probe);
    }

    [Fact]
    public void A_relative_directory_is_made_absolute_once_so_a_later_change_of_working_directory_does_not_move_it()
    {
        var settings = DumpSettings.From(new MemoryDumpOptions { DumpDirectory = "dumps" }, "options");

        Assert.Equal(Path.GetFullPath("dumps"), settings.DumpDirectory);
    }

    [Fact]
    public void Later_changes_to_the_options_do_not_reach_the_settings()
    {
        var options = new MemoryDumpOptions { TopTypes = 5 };
        var settings = DumpSettings.From(options, "options");

        options.TopTypes = 50;

        Assert.Equal(5, settings.TopTypes);
    }
}
