namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>
/// Tests that must run alone, apart from every other: they make cgroups, start children, or
/// count garbage collections that a parallel test would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class SerialTests
{
    public const string Name = "serial";
}
