namespace MemoryPressure.Reactive.UserModeLinux;

/// <summary>One cgroup of a <see cref="GuestScenario"/>'s tree, under the guest's cgroup v2 root.</summary>
/// <param name="Path">
/// The cgroup's path relative to <c>/sys/fs/cgroup</c>, with <c>/</c> between the names: <c>pod</c>,
/// <c>pod/app</c>. Its ancestors are made too, without limits, when the scenario does not list them.
/// </param>
/// <remarks>
/// Each parent enables the memory controller for its children (<c>+memory</c> in
/// <c>cgroup.subtree_control</c>), so processes may only sit in leaves: the kernel's "no internal
/// processes" rule.
/// </remarks>
public sealed record GuestCgroup(string Path)
{
    /// <summary>Gets the value written to the cgroup's <c>memory.max</c>, the hard limit.</summary>
    /// <value>The default value is <see langword="null"/>: <c>max</c>, no limit.</value>
    public long? MemoryMax { get; init; }

    /// <summary>Gets the value written to the cgroup's <c>memory.high</c>, where the kernel throttles and reclaims.</summary>
    /// <value>The default value is <see langword="null"/>: <c>max</c>, no throttling.</value>
    public long? MemoryHigh { get; init; }
}
