namespace CacheUnderLimit.Proof;

/// <summary>What a proof run found and where it wrote it.</summary>
/// <param name="Runs">One run per mode, in the order of <see cref="CacheMode"/>.</param>
/// <param name="TablePath">The Markdown table.</param>
/// <param name="ChartPath">The PNG chart.</param>
public sealed record ProofReport(IReadOnlyList<ModeRun> Runs, string TablePath, string ChartPath)
{
    /// <summary>Gets the run of one mode.</summary>
    public ModeRun this[CacheMode mode] => Runs.Single(run => run.Mode == mode);
}
