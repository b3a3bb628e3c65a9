using System.Runtime.Versioning;
using MemoryPressure.Reactive.Diagnostics.Files;
using MemoryPressure.Reactive.Diagnostics.Pipeline;
using MemoryPressure.Reactive.Diagnostics.Tests.Support;

namespace MemoryPressure.Reactive.Diagnostics.Tests.Files;

// File modes are checked where they exist; on Windows those tests skip.
[UnsupportedOSPlatform("windows")]
public sealed class DumpDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static void SkipUnlessUnix() => Skip.If(OperatingSystem.IsWindows(), "Unix file modes do not exist on Windows");

    [SkippableFact]
    public void A_missing_directory_is_created_for_its_owner_only()
    {
        SkipUnlessUnix();
        var path = Path.Combine(_root.Path, "dumps", "nested");

        using var directory = DumpDirectory.Open(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [SkippableFact]
    public void A_directory_other_users_may_write_to_is_refused()
    {
        SkipUnlessUnix();
        var path = Path.Combine(_root.Path, "shared");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("777", 8));

        var e = Assert.Throws<DumpFailureException>(() => DumpDirectory.Open(path));

        Assert.Contains("may be written by other users", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_directory_on_a_memory_backed_file_system_is_refused()
    {
        Skip.IfNot(Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").DriveFormat == "tmpfs", "no tmpfs at /dev/shm");
        var path = $"/dev/shm/mpr-diagnostics-test-{Guid.NewGuid():N}";
        try
        {
            var e = Assert.Throws<DumpFailureException>(() => DumpDirectory.Open(path));

            Assert.Contains("tmpfs", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public void Without_a_configured_directory_a_private_temporary_one_is_made_and_removed_with_its_files()
    {
        string path;
        using (var directory = DumpDirectory.Open(null))
        {
            path = directory.Path;
            File.WriteAllText(directory.CreateFile("memory-x.dmp"), "dump");
            Assert.True(Directory.Exists(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            }
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void A_configured_directory_stays_after_use()
    {
        using (DumpDirectory.Open(_root.Path))
        {
        }

        Assert.True(Directory.Exists(_root.Path));
    }

    [SkippableFact]
    public void A_dump_file_is_created_empty_and_owner_only()
    {
        SkipUnlessUnix();
        using var directory = DumpDirectory.Open(_root.Path);

        var file = directory.CreateFile("memory-1.dmp");

        Assert.Equal(Path.Combine(_root.Path, "memory-1.dmp"), file);
        Assert.Equal(0, new FileInfo(file).Length);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
    }

    [Fact]
    public void An_existing_file_is_never_overwritten()
    {
        var existing = Path.Combine(_root.Path, "memory-1.dmp");
        File.WriteAllText(existing, "precious");
        using var directory = DumpDirectory.Open(_root.Path);

        Assert.Throws<IOException>(() => directory.CreateFile("memory-1.dmp"));

        Assert.Equal("precious", File.ReadAllText(existing));
    }

    [SkippableFact]
    public void Sealing_makes_a_written_dump_owner_only()
    {
        SkipUnlessUnix();
        var file = Path.Combine(_root.Path, "memory-1.dmp");
        File.WriteAllText(file, "dump");
        File.SetUnixFileMode(file, (UnixFileMode)Convert.ToInt32("644", 8));

        DumpDirectory.Seal(file);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    public void Sealing_refuses_a_dump_replaced_by_a_link()
    {
        SkipUnlessUnix();
        var target = Path.Combine(_root.Path, "elsewhere");
        File.WriteAllText(target, "not a dump");
        var file = Path.Combine(_root.Path, "memory-1.dmp");
        File.CreateSymbolicLink(file, target);

        var e = Assert.Throws<DumpFailureException>(() => DumpDirectory.Seal(file));

        Assert.Contains("link", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_dump_that_would_leave_less_free_space_than_the_margin()
    {
        using var directory = DumpDirectory.Open(_root.Path);
        var free = new DriveInfo(_root.Path).AvailableFreeSpace;

        var e = Assert.Throws<DumpFailureException>(() => directory.EnsureRoomFor(expectedBytes: free / 2, marginBytes: free));

        Assert.Contains("margin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allows_a_dump_that_leaves_the_margin()
    {
        using var directory = DumpDirectory.Open(_root.Path);

        directory.EnsureRoomFor(expectedBytes: 1 << 20, marginBytes: 1 << 20);
    }

    [Fact]
    public void Keeps_the_newest_dumps_of_a_prefix_and_leaves_every_other_file()
    {
        var time = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var dumps = Enumerable.Range(0, 4).Select(i => DumpFileNames.Create("memory", time.AddSeconds(i))).ToArray();
        string[] others = ["notes.txt", DumpFileNames.Create("other", time), "memory-handwritten.dmp"];
        foreach (var name in dumps.Concat(others))
        {
            File.WriteAllText(Path.Combine(_root.Path, name), name);
        }

        using var directory = DumpDirectory.Open(_root.Path);

        directory.RemoveOldest("memory", keep: 2);

        Assert.Equal(dumps[2..].Concat(others).Order(StringComparer.Ordinal), _root.FileNames());
    }
}
