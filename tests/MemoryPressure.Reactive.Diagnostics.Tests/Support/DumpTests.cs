namespace MemoryPressure.Reactive.Diagnostics.Tests.Support;

/// <summary>
/// Tests that dump this process (or start a child) run one at a time, apart from every other test:
/// a process can be dumped by one <c>createdump</c> at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class DumpTests
{
    public const string Name = "dumps of the test process";

    /// <summary>The most a real dump of the test process may take before a test gives up on it.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
}
