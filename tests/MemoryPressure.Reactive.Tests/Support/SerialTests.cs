namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>Tests that make cgroups and start children run one at a time, apart from the rest.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class KernelTests
{
    public const string Name = "kernel";
}
