using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Caching.Memory;
using OpenTelemetry.Metrics;

var builder = WebApplication.CreateBuilder(args);

// No "MemoryPressure" section needed: the default ladder compacts the cache as headroom runs out.
builder.Services.AddMemoryCache();
builder.Services.AddMemoryPressure();
builder.Services.AddHealthChecks().AddMemoryPressure(tags: ["ready"]);
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter("MemoryPressure.Reactive")
    .AddPrometheusExporter());

var app = builder.Build();

// Liveness answers whether the process runs; readiness also asks memory pressure, so a
// pressured instance is taken out of rotation instead of restarted.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint();

// A cache-aside endpoint: each miss renders and caches 64 KiB, and the answer is its size, as text
// (a native AOT build writes JSON only for the types of a JsonSerializerContext it is given; text needs none).
app.MapGet("/items/{id:int}", (int id, IMemoryCache cache) =>
    cache.GetOrCreate(id, _ => new byte[64 * 1024])!.Length.ToString(CultureInfo.InvariantCulture));

app.Run();
