namespace MemoryPressure.Reactive.Triggers;

/// <summary>Where trigger sources send their requests and their failures.</summary>
internal interface ITriggerSink
{
    /// <summary>Asks for a sample now; thread-safe and never throws (a scheduler that refuses is reported instead).</summary>
    void Request(TriggerSource source);

    /// <summary>Reports a failure on the manager's <c>Errors</c>, from the manager's scheduler.</summary>
    void Report(Exception error);
}
