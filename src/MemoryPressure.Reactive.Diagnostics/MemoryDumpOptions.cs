namespace MemoryPressure.Reactive.Diagnostics;

/// <summary>Configures <see cref="MemoryDump"/>: what the breakdown lists, where dump files go, and how often installed dumps may run.</summary>
/// <remarks>
/// <para>
/// The options are read and checked once, when they are passed to a <see cref="MemoryDump"/> method;
/// changing them afterwards does not affect a dump already installed. A value out of range makes that
/// method throw an <see cref="ArgumentException"/> naming the property.
/// </para>
/// <para>
/// Dump files hold everything the process holds in memory, secrets included. They are created with
/// owner-only permissions (<c>0600</c>) in a directory only the owner may write to, under names that
/// cannot collide or leave the directory, never over an existing file, and not at all when the disk
/// would be left with less than <see cref="MinimumFreeDiskBytes"/>.
/// </para>
/// </remarks>
public sealed class MemoryDumpOptions
{
    /// <summary>The largest value <see cref="TopTypes"/> accepts.</summary>
    public const int MaximumTopTypes = 10_000;

    /// <summary>Gets or sets how many types the breakdown lists, largest first.</summary>
    /// <value>The default value is 20; it must be between 1 and <see cref="MaximumTopTypes"/>.</value>
    public int TopTypes { get; set; } = 20;

    /// <summary>Gets or sets a value indicating whether the breakdown counts every object on the heap, the unreachable ones included.</summary>
    /// <value>
    /// The default value is <see langword="false"/>: the breakdown counts live objects only, as
    /// <c>dotnet-gcdump</c> does. A full blocking, compacting collection runs just before the dump is
    /// written, so garbage (the analysis objects of an earlier dump among it) is gone from it; objects
    /// waiting for their finalizer are still reachable, and counted. The collection's time is in
    /// <see cref="MemoryDumpResult.CollectionDuration"/>. When <see langword="true"/>, nothing is
    /// collected and the dump shows the heap as it was, garbage included.
    /// </value>
    public bool IncludeUnreachable { get; set; }

    /// <summary>Gets or sets a value indicating whether the full dump file is kept after the breakdown is taken from it.</summary>
    /// <value>
    /// The default value is <see langword="false"/>: the dump is written, read and deleted at once.
    /// When <see langword="true"/>, <see cref="DumpDirectory"/> must be set.
    /// </value>
    public bool KeepDumpFile { get; set; }

    /// <summary>Gets or sets the directory dump files are written to.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: a fresh private temporary directory, removed after
    /// the dump (allowed only when <see cref="KeepDumpFile"/> is <see langword="false"/>). The directory
    /// is created with mode <c>0700</c> when missing; an existing one that other users may write to is
    /// refused, and so is one on a memory-backed file system (<c>tmpfs</c>, <c>ramfs</c>), where a dump
    /// would add to the pressure it is meant to explain.
    /// </value>
    public string? DumpDirectory { get; set; }

    /// <summary>Gets or sets the start of dump file names: <c>{prefix}-{UTC time}-{process id}-{random}.dmp</c>.</summary>
    /// <value>
    /// The default value is <c>memory</c>. Up to 64 characters from <c>A-Z a-z 0-9 . _ -</c>, not starting
    /// with a dot: a prefix can neither name another directory nor a hidden file.
    /// </value>
    public string FilePrefix { get; set; } = "memory";

    /// <summary>Gets or sets the free disk space, in bytes, a dump must leave on the drive of <see cref="DumpDirectory"/>.</summary>
    /// <value>
    /// The default value is 1 GiB; it must not be negative. A dump is refused when the free space less
    /// the expected size of the dump (the process's resident set) would fall below this margin.
    /// </value>
    public long MinimumFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>Gets or sets how many kept dump files with <see cref="FilePrefix"/> may stay in <see cref="DumpDirectory"/>; the oldest go first.</summary>
    /// <value>The default value is 3; it must be at least 1.</value>
    public int MaximumKeptDumps { get; set; } = 3;

    /// <summary>Gets or sets the least time between the starts of two dumps an installed trigger (a signal) runs.</summary>
    /// <value>
    /// The default value is one minute; it must not be negative. Triggers that arrive sooner, or while a
    /// dump is running, are skipped, not queued. Direct calls to <see cref="MemoryDump.DumpMemoryOn"/> are not limited.
    /// </value>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the most dumps an installed trigger (a signal) runs in its lifetime, failed ones included.</summary>
    /// <value>The default value is 10; it must be at least 1.</value>
    public int MaximumDumps { get; set; } = 10;

    /// <summary>Gets or sets the probe that gives the process's resident bytes and limit for the breakdown's header.</summary>
    /// <value>The default value is <see langword="null"/>, meaning <see cref="MemoryProbe.Default"/>.</value>
    public IMemoryProbe? Probe { get; set; }
}
