namespace MemoryPressure.Reactive.Tests.Support;

/// <summary>A probe whose reads are given by a function of the read's number (1-based).</summary>
internal sealed class DelegateProbe(Func<int, MemorySample> read) : IMemoryProbe
{
    public int Reads { get; private set; }

    public MemorySample Read() => read(++Reads);
}
