namespace MemoryPressure.Reactive.Triggers;

/// <summary>
/// Where the usage-threshold signal is to be armed, for a sample's limit: what the signal needs of the
/// ladder's conditions, so that it knows neither. The manager gives it <see cref="Manager.LadderThresholds"/>.
/// </summary>
internal interface IUsageThresholds
{
    /// <summary>Gets the most thresholds <see cref="Place"/> can write; 0 when no condition gives one.</summary>
    int Capacity { get; }

    /// <summary>Writes the thresholds for a limit, sorted and distinct, into <paramref name="destination"/>; allocates nothing.</summary>
    /// <param name="limitBytes">The sample's <see cref="MemorySample.ProcessLimitBytes"/>; none when 0 or less.</param>
    /// <param name="offsetBytes">What the watched usage counts beyond the resident set.</param>
    /// <param name="destination">At least <see cref="Capacity"/> long.</param>
    /// <returns>The number written.</returns>
    int Place(long limitBytes, long offsetBytes, Span<long> destination);

    /// <summary>Describes armed thresholds, and what they do not cover, for a status.</summary>
    string Describe(ReadOnlySpan<long> thresholds, string usagePath);
}
