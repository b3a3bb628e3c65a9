using MemoryPressure.Reactive;
using MemoryPressure.Reactive.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="MemoryPressureManager"/> that starts and stops with the host.</summary>
public static class MemoryPressureServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="MemoryPressureManager"/> singleton started and disposed with the host,
    /// its options bound from the configuration section <c>MemoryPressure</c> and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// Registrations use <c>TryAdd</c>: calling this again adds nothing, so there is always one manager.
    /// The manager may be resolved (and handlers subscribed) before the host starts, but it samples
    /// nothing until then: the first sample is taken when the host starts, and the host's stop
    /// disposes it, completing its observables. Without a host, start the registered
    /// <see cref="IHostedService"/> instances yourself.
    /// </para>
    /// <para>
    /// With no level configured, in configuration or in code, the host watches memory with a default
    /// ladder of three levels (trim, shed, critical) on the process limit and the GC's own cap:
    /// <c>LocalRelative &lt; 25% | HeapRelative &lt; 30%</c>, <c>LocalRelative &lt; 15% | HeapRelative &lt; 20%</c>
    /// and <c>LocalRelative &lt; 5% | HeapRelative &lt; 10%</c>, compacting a registered <c>MemoryCache</c> by
    /// 25%, 50% and 100%, the upper two forcing a full collection and trimming the native heap, the top one Unhealthy. An empty
    /// <c>MemoryPressure</c> section gets it too; an empty <c>Levels</c> array fails the start.
    /// </para>
    /// <para>
    /// Each step of the level is logged (category <c>MemoryPressure.Reactive.MemoryPressureManager</c>)
    /// and measured on the meter <see cref="MemoryPressureInstruments.MeterName"/> when the container
    /// has an <c>IMeterFactory</c>. Options that are not valid fail the host's start with an
    /// <see cref="OptionsValidationException"/> naming each bad key.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddMemoryPressure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MemoryPressureHostingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MemoryPressureHostingOptions>, MemoryPressureConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<MemoryPressureHostingOptions>, DefaultLadder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryPressureHostingOptions>, MemoryPressureOptionsValidator>());
        services.TryAddSingleton<MemoryPressureService>();
        services.TryAddSingleton(static provider => provider.GetRequiredService<MemoryPressureService>().Manager);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MemoryPressureHostedService>());
        return services;
    }

    /// <summary>
    /// Registers a <see cref="MemoryPressureManager"/> singleton started and disposed with the host,
    /// its options bound from the configuration section <c>MemoryPressure</c>, then changed by
    /// <paramref name="configure"/>, and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration is bound: adds levels, sets the manager's probe or scheduler (<see cref="MemoryPressureHostingOptions.Manager"/>).</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Calling it again adds another <paramref name="configure"/>, run after the earlier ones, and still
    /// one manager. See <see cref="AddMemoryPressure(IServiceCollection)"/>.
    /// </remarks>
    public static IServiceCollection AddMemoryPressure(this IServiceCollection services, Action<MemoryPressureHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddMemoryPressure();
        services.Configure(configure);
        return services;
    }
}
