namespace MemoryPressure.Reactive.Hosting;

/// <summary>A limit as a log line shows it: its <see cref="ByteSize"/>, or <c>none</c> for the 0 that means no limit.</summary>
internal readonly struct LimitSize(long bytes)
{
    public override string ToString() => bytes == 0 ? "none" : new ByteSize(bytes).ToString();
}
