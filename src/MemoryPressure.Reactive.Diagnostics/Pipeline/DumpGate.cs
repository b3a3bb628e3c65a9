namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>Lets one dump run at a time: a second one asked for meanwhile is refused, not queued.</summary>
/// <remarks>
/// Two dumps of one process at once would suspend it twice as long and need twice the disk, and the
/// runtime's dump writer cannot attach to a process another one is already writing.
/// </remarks>
internal sealed class DumpGate
{
    private int _busy;

    /// <summary>Gets the gate shared by every dump of this process.</summary>
    public static DumpGate Process { get; } = new();

    public bool TryEnter() => Interlocked.Exchange(ref _busy, 1) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);
}
