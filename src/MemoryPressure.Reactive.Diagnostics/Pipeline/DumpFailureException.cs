namespace MemoryPressure.Reactive.Diagnostics.Pipeline;

/// <summary>A step of a dump that failed or refused: its message is the reason the result reports.</summary>
internal sealed class DumpFailureException : Exception
{
    public DumpFailureException(string reason)
        : base(reason)
    {
    }

    public DumpFailureException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
