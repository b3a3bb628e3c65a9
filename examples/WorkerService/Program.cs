// A worker service that fills a memory cache until memory pressure makes the host compact it,
// collect, and report itself degraded or unhealthy; then it exits. Ctrl+C ends it sooner.
// Usage: dotnet run --project examples/WorkerService [-- --duration <seconds>]
using MemoryPressure.Reactive.Hosting;
using Microsoft.Extensions.Diagnostics.Metrics;
using WorkerService;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The manager, its ladder from the "MemoryPressure" section of appsettings.json, its logs and metrics.
builder.Services.AddMemoryCache();
builder.Services.AddMemoryPressure();
builder.Services.AddHealthChecks().AddMemoryPressure(tags: ["ready"]);

// Print the level steps and their handler durations as they happen; an OpenTelemetry exporter
// needs only the meter name, MemoryPressureInstruments.MeterName.
builder.Metrics
    .EnableMetrics(MemoryPressureInstruments.MeterName, MemoryPressureInstruments.Transitions)
    .EnableMetrics(MemoryPressureInstruments.MeterName, MemoryPressureInstruments.HandlerDuration)
    .AddDebugConsole();

builder.Services.AddSingleton<ReportCache>();
builder.Services.AddHostedService<CacheFiller>();
builder.Services.AddHostedService<StatusReporter>();

using var host = builder.Build();
await host.RunAsync();
