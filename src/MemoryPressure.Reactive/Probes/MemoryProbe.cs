namespace MemoryPressure.Reactive;

/// <summary>Gives the best memory probe for the platform.</summary>
public static class MemoryProbe
{
    private static readonly Lazy<IMemoryProbe> DefaultProbe = new(Create);

    /// <summary>
    /// Gets the best probe for this platform, shared by everyone who asks: a
    /// <see cref="LinuxMemoryProbe"/> on Linux, a <see cref="PortableMemoryProbe"/> elsewhere.
    /// </summary>
    /// <value>A thread-safe probe created on first use and kept for the life of the process: disposing it does nothing.</value>
    public static IMemoryProbe Default => DefaultProbe.Value;

    private static IMemoryProbe Create() => OperatingSystem.IsLinux() ? LinuxMemoryProbe.CreateShared() : new PortableMemoryProbe();
}
