namespace MemoryPressure.Demo;

/// <summary>What the demo did, for the last screen.</summary>
/// <param name="Duration">How long it ran.</param>
/// <param name="Levels">Each level's name, condition and how often it was entered and left; index 0 is level 1.</param>
/// <param name="PeakResidentBytes">The highest resident memory seen.</param>
/// <param name="BudgetBytes">The budget the ladder measured against.</param>
/// <param name="EntriesTrimmed">The cache entries the handlers dropped.</param>
internal sealed record DemoSummary(
    TimeSpan Duration, IReadOnlyList<LevelCount> Levels, long PeakResidentBytes, long BudgetBytes, long EntriesTrimmed);

/// <summary>How often one level was entered and left.</summary>
internal sealed record LevelCount(int Level, string Name, string Condition, int Entered, int Left);
