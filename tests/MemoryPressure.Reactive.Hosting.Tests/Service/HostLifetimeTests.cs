using MemoryPressure.Reactive.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Reactive.Testing;

namespace MemoryPressure.Reactive.Hosting.Tests.Service;

/// <summary>The manager's life follows the host's: nothing before start, nothing after stop, one manager however often it is registered.</summary>
public class HostLifetimeTests : ReactiveTest
{
    private readonly TestScheduler _scheduler = new();
    private readonly DelegateProbe _probe = new(_ => Pressure.Sample(0, Pressure.UsedFor(1)));

    [Fact]
    public async Task Nothing_is_sampled_before_the_host_starts_even_when_the_manager_is_resolved()
    {
        using var host = PollingHost();
        var samples = _scheduler.CreateObserver<MemorySample>();
        host.Manager().Samples.Subscribe(samples);

        _scheduler.AdvanceTo(1000);
        Assert.Equal(0, _probe.Reads);

        await host.StartAsync();
        _scheduler.AdvanceTo(1150);

        Assert.Equal([1001L, 1100L], samples.Messages.Select(m => m.Time));
        Assert.Equal(1, host.Manager().SeverityLevel);
    }

    [Fact]
    public async Task Starting_the_host_polls_at_once_then_every_check_interval_stamping_each_sample_with_the_scheduler_clock()
    {
        using var host = PollingHost();
        var samples = _scheduler.CreateObserver<MemorySample>();
        host.Manager().Samples.Subscribe(samples);

        await host.StartAsync();
        _scheduler.AdvanceTo(350);

        Assert.Equal([1L, 100L, 200L, 300L], samples.Messages.Select(m => m.Time));
        Assert.Equal([1L, 100L, 200L, 300L], samples.Messages.Select(m => m.Value.Value.Timestamp.Ticks));
    }

    [Fact]
    public async Task With_a_virtual_time_scheduler_only_custom_triggers_apply_and_each_asks_for_a_sample()
    {
        var signals = new System.Reactive.Subjects.Subject<System.Reactive.Unit>();
        using var host = PollingHost(o =>
        {
            o.Levels.Add(new MemoryPressureLevelOptions { Condition = new LocalRelativeValue(30) });
            o.Manager.Triggers.Custom = signals;
        });
        var samples = _scheduler.CreateObserver<MemorySample>();
        host.Manager().Samples.Subscribe(samples);

        await host.StartAsync();
        _scheduler.AdvanceTo(150);
        signals.OnNext(System.Reactive.Unit.Default);
        _scheduler.AdvanceTo(180);

        var statuses = host.Manager().Triggers.ToDictionary(t => t.Source);
        Assert.Equal(TriggerState.Active, statuses[TriggerSource.Custom].State);
        Assert.All(statuses.Values.Where(t => t.Source != TriggerSource.Custom), t =>
        {
            Assert.NotEqual(TriggerState.Active, t.State);
            Assert.Contains("virtual time", t.Detail, StringComparison.Ordinal);
        });
        Assert.Equal([1L, 100L, 151L], samples.Messages.Select(m => m.Time));
    }

    [Fact]
    public async Task A_dwell_time_elapses_on_polled_samples()
    {
        using var host = PollingHost(o => o.Levels.Add(new MemoryPressureLevelOptions { Condition = new LocalRelativeValue(30), EnterAfter = TimeSpan.FromTicks(250) }));
        var entered = _scheduler.CreateObserver<LevelChanged>();
        host.Manager().Entered(1).Subscribe(entered);

        await host.StartAsync();
        _scheduler.AdvanceTo(450);

        Assert.Equal([300L], entered.Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Select(m => m.Time));
    }

    [Fact]
    public async Task Stopping_the_host_disposes_the_manager_completing_its_observables_and_ending_polling()
    {
        using var host = PollingHost();
        var levels = _scheduler.CreateObserver<int>();
        host.Manager().Levels.Subscribe(levels);
        await host.StartAsync();
        _scheduler.AdvanceTo(150);

        await host.StopAsync();
        var readsAtStop = _probe.Reads;
        _scheduler.AdvanceTo(1000);

        Assert.Equal(2, readsAtStop);
        Assert.Equal(readsAtStop, _probe.Reads);
        levels.Messages.AssertEqual(OnNext(0L, 0), OnNext(1L, 1), OnCompleted<int>(150));
    }

    [Fact]
    public async Task Registering_twice_gives_one_manager_one_hosted_service_and_one_read_per_tick()
    {
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => (o.Manager.Probe, o.Manager.Scheduler, o.Manager.CheckInterval) = (_probe, _scheduler, TimeSpan.FromTicks(100)));
        builder.Services.AddMemoryPressure();
        builder.Services.AddHealthChecks().AddMemoryPressure();
        using var host = builder.Build();

        await host.StartAsync();
        _scheduler.AdvanceTo(250);

        Assert.Same(host.Manager(), host.Services.GetRequiredService<MemoryPressureManager>());
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<MemoryPressureHostedService>());
        Assert.Single(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MemoryPressureHostingOptions>>().Value.Levels, l => l.Condition!.Equals(new LocalRelativeValue(30)));
        Assert.Equal(3, _probe.Reads);
    }

    [Fact]
    public async Task A_sample_source_is_subscribed_when_the_host_starts_and_released_when_it_stops()
    {
        var samples = TestHosts.Hot(_scheduler, (100, 3), (300, 1), (500, 2));
        var builder = TestHosts.Builder("ladder.json");
        builder.Services.AddMemoryPressure(o => o.Manager.Samples = samples);
        using var host = builder.Build();
        var manager = host.Manager();

        _scheduler.AdvanceTo(200);
        await host.StartAsync();
        _scheduler.AdvanceTo(400);
        await host.StopAsync();
        _scheduler.AdvanceTo(600);

        samples.Subscriptions.AssertEqual(Subscribe(200, 400));
        Assert.Equal(1, manager.SeverityLevel);
    }

    [Fact]
    public async Task Without_a_host_starting_the_registered_hosted_services_starts_the_manager()
    {
        var services = new ServiceCollection();
        services.AddMemoryPressure(o =>
        {
            o.Levels.Add(new MemoryPressureLevelOptions { Condition = MemoryCondition.Parse("LocalRelative < 30%") });
            (o.Manager.Probe, o.Manager.Scheduler) = (_probe, _scheduler);
        });
        await using var provider = services.BuildServiceProvider();

        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        _scheduler.AdvanceTo(10);
        Assert.Equal(1, provider.GetRequiredService<MemoryPressureManager>().SeverityLevel);
    }

    private IHost PollingHost(Action<MemoryPressureHostingOptions>? configure = null)
    {
        var builder = TestHosts.Builder(configure is null ? "ladder.json" : null);
        builder.Services.AddMemoryPressure(o =>
        {
            (o.Manager.Probe, o.Manager.Scheduler, o.Manager.CheckInterval) = (_probe, _scheduler, TimeSpan.FromTicks(100));
            configure?.Invoke(o);
        });
        return builder.Build();
    }
}
