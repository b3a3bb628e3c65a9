namespace MemoryPressure.Demo;

/// <summary>How the demo shows itself: live in a terminal, or as plain lines for a pipe or a log.</summary>
internal interface IDemoView
{
    /// <summary>Shows the run until <paramref name="stop"/> is cancelled.</summary>
    Task ShowAsync(DemoJournal journal, DemoCache cache, CancellationToken stop);

    /// <summary>Shows what the run did.</summary>
    void ShowSummary(DemoSummary summary);
}
