using MemoryPressure.Reactive.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the memory pressure health check.</summary>
public static class MemoryPressureHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports the memory pressure level: Healthy at level 0, otherwise the
    /// worst <see cref="MemoryPressureLevelOptions.HealthStatus"/> of the levels in effect (by default
    /// Degraded below the top level and Unhealthy at the top), so that an orchestrator can stop
    /// sending traffic to a pressured instance.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="tags">Tags to filter the check by, for example <c>"ready"</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Registers the manager too (<see cref="MemoryPressureServiceCollectionExtensions.AddMemoryPressure(IServiceCollection)"/>,
    /// which does nothing when it is already registered). The check's data carry the level, the number
    /// of levels and the latest sample's resident, limit and available bytes.
    /// </remarks>
    public static IHealthChecksBuilder AddMemoryPressure(this IHealthChecksBuilder builder, string name = "memory_pressure", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(name);
        builder.Services.AddMemoryPressure();
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new MemoryPressureHealthCheck(provider.GetRequiredService<MemoryPressureService>()),
            failureStatus: null,
            tags));
    }
}
