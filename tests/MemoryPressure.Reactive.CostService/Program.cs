// The cache-aside service of examples/WebService, for the cost-of-protection harness
// (`dotnet run -c Release --project examples/CacheUnderLimit -- --cost`):
//
//   dotnet MemoryPressure.Reactive.CostService.dll bare|protected <expire-ms> [host arguments]
//
// bare: no memory pressure at all. protected: AddMemoryPressure() and its health check, as the web
// example has them (configuration from the host arguments, such as --MemoryPressure:Triggers:...).
// Each cached value expires <expire-ms> after it was rendered (0: never), so that a bounded key space
// keeps rendering new values. GET /gc answers the GC's collection counts, "gen0 gen1 gen2".
using System.Globalization;
using Microsoft.Extensions.Caching.Memory;

if (args is not ([("bare" or "protected") and var protection, var expireText, ..]) || !int.TryParse(expireText, CultureInfo.InvariantCulture, out var expireMilliseconds) || expireMilliseconds < 0)
{
    Console.Error.WriteLine("usage: MemoryPressure.Reactive.CostService bare|protected <expire-ms, 0 for never> [host arguments]");
    return 2;
}

var builder = WebApplication.CreateBuilder(args[2..]);
builder.Services.AddMemoryCache();
if (protection == "protected")
{
    builder.Services.AddMemoryPressure();
    builder.Services.AddHealthChecks().AddMemoryPressure();
}

var app = builder.Build();
var expiry = expireMilliseconds == 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(expireMilliseconds);

// The web example's endpoint: each miss renders and caches 64 KiB, and the answer is its size, as text.
app.MapGet("/items/{id:int}", (int id, IMemoryCache cache) =>
    cache.GetOrCreate(id, entry =>
    {
        entry.AbsoluteExpirationRelativeToNow = expiry;
        return new byte[64 * 1024];
    })!.Length.ToString(CultureInfo.InvariantCulture));
app.MapGet("/gc", () => string.Create(CultureInfo.InvariantCulture, $"{GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}"));

app.Run();
return 0;
