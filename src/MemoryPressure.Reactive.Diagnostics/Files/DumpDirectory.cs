using System.Globalization;
using MemoryPressure.Reactive.Diagnostics.Pipeline;

namespace MemoryPressure.Reactive.Diagnostics.Files;

/// <summary>
/// The directory one dump is written to: checked to be private and disk-backed, asked for room, and
/// the place where dump files are created safely and old ones removed.
/// </summary>
/// <remarks>
/// <para>
/// A missing directory is created with mode <c>0700</c>; an existing one is refused when other users
/// may write to it (they could swap or pre-create files there), and so is any directory on a
/// memory-backed file system (<c>tmpfs</c>, <c>ramfs</c>), where the dump would take the very memory
/// that is short. Without a configured directory a fresh private temporary one is made (mode
/// <c>0700</c>, random name) and removed on <see cref="Dispose"/>.
/// </para>
/// <para>
/// Each dump file is created empty, before the runtime writes to it, with <see cref="FileMode.CreateNew"/>
/// (never over an existing file) and mode <c>0600</c>; the runtime's dump writer opens it with
/// <c>O_TRUNC</c>, which keeps the mode, and the mode is set and checked again once the dump is written.
/// </para>
/// </remarks>
internal sealed class DumpDirectory : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly string[] MemoryBackedFileSystems = ["tmpfs", "ramfs"];

    private readonly bool _temporary;

    private DumpDirectory(string path, bool temporary)
    {
        Path = path;
        _temporary = temporary;
    }

    public string Path { get; }

    /// <summary>Opens the configured directory, creating it when missing, or makes a temporary one.</summary>
    /// <param name="configured">A full path, or <see langword="null"/> for a temporary directory.</param>
    /// <exception cref="DumpFailureException">The directory is shared or memory-backed.</exception>
    public static DumpDirectory Open(string? configured)
    {
        DumpDirectory directory;
        if (configured is null)
        {
            // Made with mode 0700 and a random name by the runtime.
            directory = new DumpDirectory(Directory.CreateTempSubdirectory("memory-dump-").FullName, temporary: true);
        }
        else
        {
            if (!Directory.Exists(configured))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(configured);
                }
                else
                {
                    Directory.CreateDirectory(configured, OwnerOnlyDirectory);
                }
            }
            else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(configured) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new DumpFailureException($"the dump directory {configured} may be written by other users, who could read or replace dump files there; use a directory only its owner may write to");
            }

            directory = new DumpDirectory(configured, temporary: false);
        }

        try
        {
            directory.RefuseMemoryBacked();
            return directory;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Refuses when the drive would be left with less than <paramref name="marginBytes"/> after a dump of <paramref name="expectedBytes"/>.</summary>
    /// <exception cref="DumpFailureException">There is not enough room.</exception>
    public void EnsureRoomFor(long expectedBytes, long marginBytes)
    {
        var free = new DriveInfo(Path).AvailableFreeSpace;
        if (free - expectedBytes < marginBytes)
        {
            throw new DumpFailureException(string.Create(
                CultureInfo.InvariantCulture,
                $"only {free:N0} bytes are free for {Path}: a dump of about {expectedBytes:N0} bytes (the resident set) would leave less than the {marginBytes:N0}-byte margin"));
        }
    }

    /// <summary>Creates a new, empty, owner-only file for a dump.</summary>
    /// <param name="fileName">A name made by <see cref="DumpFileNames.Create"/>.</param>
    /// <returns>The file's full path.</returns>
    /// <exception cref="IOException">A file of that name exists (it is left alone).</exception>
    public string CreateFile(string fileName)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        new FileStream(file, options).Dispose();
        return file;
    }

    /// <summary>Makes sure the written dump is a regular file only its owner may read or write.</summary>
    /// <exception cref="DumpFailureException">It is not, and cannot be made so.</exception>
    public static void Seal(string file)
    {
        if (new FileInfo(file).LinkTarget is not null)
        {
            throw new DumpFailureException($"the dump file {file} was replaced by a link");
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(file, OwnerOnlyFile);
        var mode = File.GetUnixFileMode(file);
        if (mode != OwnerOnlyFile)
        {
            throw new DumpFailureException($"the dump file {file} has mode {mode} and could not be made owner-only");
        }
    }

    /// <summary>Removes the oldest dumps of a prefix until at most <paramref name="keep"/> are left; files that cannot be removed are left.</summary>
    public void RemoveOldest(string prefix, int keep)
    {
        List<string> dumps;
        try
        {
            dumps = Directory.EnumerateFiles(Path)
                .Select(System.IO.Path.GetFileName)
                .OfType<string>()
                .Where(name => DumpFileNames.IsDumpOf(prefix, name))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new dump is kept either way; the cap is enforced at the next one.
            return;
        }

        foreach (var name in dumps.Take(dumps.Count - keep))
        {
            DeleteQuietly(System.IO.Path.Combine(Path, name));
        }
    }

    /// <summary>Deletes a file, leaving it when that fails: cleaning up must not hide the outcome of the dump.</summary>
    public static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; nothing better can be done here.
        }
    }

    public void Dispose()
    {
        if (!_temporary)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind in the temporary directory; nothing better can be done here.
        }
    }

    private void RefuseMemoryBacked()
    {
        var format = new DriveInfo(Path).DriveFormat;
        if (MemoryBackedFileSystems.Contains(format, StringComparer.OrdinalIgnoreCase))
        {
            throw new DumpFailureException($"the dump directory {Path} is on {format}, which is memory: a dump there would add to the pressure it is meant to explain; use a disk-backed directory");
        }
    }
}
