namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>
/// Tests that must run alone: they start processes that fill memory on purpose and make cgroups,
/// and a parallel test would disturb their timing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class SerialTests
{
    public const string Name = "serial";
}
