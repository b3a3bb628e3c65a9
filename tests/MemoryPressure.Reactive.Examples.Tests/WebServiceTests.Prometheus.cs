using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Examples.Tests.Support;
using MemoryPressure.Reactive.Hosting;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests;

/// <summary>
/// A real Prometheus scrapes the web example, driven into level 1, every second, with the alert rules
/// of <c>examples/Monitoring</c> loaded: the series README.md documents are there with its names and
/// labels, the rules are evaluated and one fires, and every expression of the dashboard is answered.
/// </summary>
public partial class WebServiceTests
{
    private const string Job = "webservice";

    private const long GcHeapHardLimit = 512L * 1024 * 1024;

    private static readonly TimeSpan PrometheusBound = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Level 1 holds at rest (any resident set is less than 100% of its limit from the limit), so it is
    /// entered at the first sample and its reaction runs. The GC heap hard limit gives the GC's cap, and a
    /// limit to the headroom, on any machine, in a container or not.
    /// </summary>
    private static readonly string[] LevelOneAtRest =
    [
        "--MemoryPressure:CheckInterval=250ms",
        "--MemoryPressure:Levels:0:Name=trim",
        "--MemoryPressure:Levels:0:Condition=LocalRelative < 100%",
        "--MemoryPressure:Levels:0:CompactMemoryCachePercent=25",
    ];

    /// <summary>What the driven example exports on any machine: its level, the headroom, the limits and the reaction counters.</summary>
    private static readonly string[] Required =
    [
        MemoryPressureInstruments.SeverityLevel,
        MemoryPressureInstruments.Headroom,
        MemoryPressureInstruments.ProcessMemoryUsage,
        MemoryPressureInstruments.ProcessMemoryLimit,
        MemoryPressureInstruments.SystemMemoryAvailable,
        MemoryPressureInstruments.SystemMemoryLimit,
        MemoryPressureInstruments.GcHeapUsage,
        MemoryPressureInstruments.GcHeapLimit,
        MemoryPressureInstruments.Transitions,
        MemoryPressureInstruments.Reactions,
        MemoryPressureInstruments.HandlerDuration,
    ];

    private static string Monitoring => Path.Combine(RepositoryRoot.Path, "examples", "Monitoring");

    [Fact]
    public void The_README_documents_the_Prometheus_series_of_every_instrument()
    {
        var instruments = typeof(MemoryPressureInstruments).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.Name != nameof(MemoryPressureInstruments.MeterName) && !field.Name.EndsWith("Attribute", StringComparison.Ordinal))
            .Select(field => (string)field.GetRawConstantValue()!);

        Assert.Equal(instruments.Order(StringComparer.Ordinal), DocumentedSeries.ReadReadme().Select(row => row.Instrument).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_real_Prometheus_finds_the_documented_series_fires_a_shipped_rule_and_answers_every_dashboard_query()
    {
        var unavailable = PrometheusServer.WhyUnavailable();
        Skip.If(unavailable is not null, unavailable);
        using var bound = new CancellationTokenSource(PrometheusBound);
        var rules = Path.Combine(Monitoring, "memory-pressure.rules.yml");
        await Promtool(bound.Token, "check", "rules", rules);
        await Promtool(bound.Token, "test", "rules", Path.Combine(Monitoring, "memory-pressure.rules.test.yml"));

        var documented = DocumentedSeries.ReadReadme().ToDictionary(row => row.Series, StringComparer.Ordinal);
        await using var service = await WebServiceChild.StartAsync(
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = $"0x{GcHeapHardLimit:X}" }, LevelOneAtRest, bound.Token);
        var target = new Uri(service.Address).Authority;
        await using var prometheus = await PrometheusServer.StartAsync(Configuration(target, rules), bound.Token);

        // Wait (polling the API, within the bound) until two scrapes hold the level's reaction, so
        // increase() and rate() have two points, and until every rule has been evaluated, the held
        // level's since the level was scraped (an evaluation before the first scrape finds no level).
        try
        {
            while (!await EnoughScrapedAndEvaluated(prometheus, target, bound.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), bound.Token);
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            Assert.Fail($"Prometheus had not scraped the reaction twice and evaluated every rule, the held level's alert among them, within {PrometheusBound}:\n{prometheus.Log}");
        }

        using var client = new HttpClient { BaseAddress = new Uri(service.Address), Timeout = Bound };
        var scraped = ScrapedFamilies(await client.GetStringAsync("/metrics", bound.Token));

        // Every family the example exports is documented, with its type; the ones it must export are there.
        Assert.All(scraped, family =>
        {
            Assert.True(documented.TryGetValue(family.Key, out var row), $"{family.Key} is exported but not in README.md's table of series");
            Assert.Equal(row.Type, family.Value);
        });
        Assert.All(Required, instrument => Assert.Contains(documented.Values.Single(row => row.Instrument == instrument).Series, scraped.Keys));

        // In Prometheus, each of them with exactly the documented labels.
        foreach (var row in documented.Values.Where(row => scraped.ContainsKey(row.Series)))
        {
            foreach (var name in row.Names)
            {
                var result = await prometheus.QueryAsync($"{{__name__=\"{name}\", job=\"{Job}\"}}", bound.Token);
                Assert.True(result.GetArrayLength() > 0, $"Prometheus has no {name}");
                string[] expected = ["__name__", "instance", "job", "otel_scope_name", .. row.Labels, .. name.EndsWith("_bucket", StringComparison.Ordinal) ? ["le"] : Array.Empty<string>()];
                Assert.All(result.EnumerateArray(), series =>
                    Assert.Equal(expected.Order(StringComparer.Ordinal), series.GetProperty("metric").EnumerateObject().Select(label => label.Name).Order(StringComparer.Ordinal)));
            }
        }

        // The level, its reaction, and the limits the example was given.
        Assert.Equal(1, await Value(prometheus, "memory_pressure_severity_level", "", bound.Token));
        Assert.True(await Value(prometheus, "memory_pressure_reactions_total", "memory_pressure_level=\"1\", memory_pressure_reaction_kind=\"entered\"", bound.Token) >= 1);
        Assert.Equal(GcHeapHardLimit, await Value(prometheus, "memory_pressure_gc_heap_limit_bytes", "", bound.Token));
        Assert.InRange(await Value(prometheus, "memory_pressure_headroom_bytes", "", bound.Token), 1, GcHeapHardLimit);

        // The shipped rules: all loaded and healthy, and the held level's alert pending (its `for` is ten minutes).
        var loaded = (await prometheus.GetDataAsync("/api/v1/rules", bound.Token)).GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(
            AlertNames().Order(StringComparer.Ordinal),
            loaded.Select(rule => rule.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(loaded, rule => Assert.True(rule.GetProperty("health").GetString() == "ok", $"rule {rule}"));
        Assert.Contains(await Alerts(prometheus, target, bound.Token), alert => alert.Name == "MemoryPressureLevelHeld" && alert.State is "pending" or "firing");

        // Every expression of the rules and the dashboard names documented series only, and Prometheus
        // answers it; the dashboard's panels and variables, wherever the series they name were scraped, with data.
        var labels = documented.Values.SelectMany(row => row.Labels).ToHashSet(StringComparer.Ordinal);
        var names = documented.Values.SelectMany(row => row.Names).ToHashSet(StringComparer.Ordinal);
        foreach (var (expression, mustHaveData) in RuleExpressions(rules).Select(expression => (expression, false)).Concat(DashboardExpressions()))
        {
            var series = SeriesName().Matches(expression).Select(match => match.Value).Where(token => !labels.Contains(token)).Distinct().ToList();
            Assert.True(series.Count > 0, $"{expression} names no series of this library");
            Assert.All(series, name => Assert.True(names.Contains(name), $"{expression} names {name}, which README.md does not document"));
            var result = await prometheus.QueryAsync(expression, bound.Token);
            if (mustHaveData && series.All(name => scraped.Keys.Any(family => documented[family].Names.Contains(name))))
            {
                Assert.True(result.GetArrayLength() > 0, $"the dashboard's {expression} has no data though its series were scraped");
            }
        }
    }

    /// <summary>Prometheus's configuration: scrape the example every second and evaluate the shipped rules every second.</summary>
    private static string Configuration(string target, string rules) => $"""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - '{rules}'
        scrape_configs:
          - job_name: {Job}
            static_configs:
              - targets: ['{target}']
        """;

    private static async Task<bool> EnoughScrapedAndEvaluated(PrometheusServer prometheus, string target, CancellationToken cancellationToken)
    {
        var reactions = await prometheus.QueryAsync($"count_over_time(memory_pressure_reactions_total{{job=\"{Job}\"}}[1m]) >= 2", cancellationToken);
        var rules = (await prometheus.GetDataAsync("/api/v1/rules", cancellationToken)).GetProperty("groups").EnumerateArray()
            .SelectMany(group => group.GetProperty("rules").EnumerateArray());
        return reactions.GetArrayLength() > 0 && rules.Any() && rules.All(rule => rule.GetProperty("health").GetString() != "unknown")
            && (await Alerts(prometheus, target, cancellationToken)).Exists(alert => alert.Name == "MemoryPressureLevelHeld");
    }

    /// <summary>The sum over the example's series of <paramref name="name"/> that match <paramref name="matchers"/>, now.</summary>
    private static async Task<double> Value(PrometheusServer prometheus, string name, string matchers, CancellationToken cancellationToken)
    {
        var selector = $"{name}{{job=\"{Job}\"{(matchers.Length > 0 ? $", {matchers}" : "")}}}";
        var result = await prometheus.QueryAsync($"sum({selector})", cancellationToken);
        Assert.True(result.GetArrayLength() == 1, $"Prometheus has no {selector}");
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<List<(string Name, string State)>> Alerts(PrometheusServer prometheus, string target, CancellationToken cancellationToken) =>
    [
        .. (await prometheus.GetDataAsync("/api/v1/alerts", cancellationToken)).GetProperty("alerts").EnumerateArray()
            .Where(alert => alert.GetProperty("labels").TryGetProperty("instance", out var instance) && instance.GetString() == target)
            .Select(alert => (alert.GetProperty("labels").GetProperty("alertname").GetString()!, alert.GetProperty("state").GetString()!)),
    ];

    private static async Task Promtool(CancellationToken cancellationToken, params string[] arguments)
    {
        var (exitCode, output) = await PrometheusServer.PromtoolAsync(cancellationToken, arguments);
        Assert.True(exitCode == 0, $"promtool {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
    }

    /// <summary>The families of a scrape of <c>/metrics</c> of this library, with their types.</summary>
    private static Dictionary<string, string> ScrapedFamilies(string metrics) =>
        TypeLine().Matches(metrics).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value, StringComparer.Ordinal);

    private static IEnumerable<string> AlertNames() =>
        RuleLine().Matches(File.ReadAllText(Path.Combine(Monitoring, "memory-pressure.rules.yml"))).Where(match => match.Groups[1].Value == "alert").Select(match => match.Groups[2].Value);

    private static IEnumerable<string> RuleExpressions(string rules) =>
        RuleLine().Matches(File.ReadAllText(rules)).Where(match => match.Groups[1].Value == "expr").Select(match => match.Groups[2].Value);

    /// <summary>
    /// Every PromQL expression of the dashboard, with its variables replaced as Grafana would: this job,
    /// any instance, a one-minute rate interval; a variable's <c>label_values(selector, label)</c> becomes
    /// <c>group by (label) (selector)</c>. Those of panels and variables must have data wherever their
    /// series were scraped; an annotation's is a filter (a level that changed), which may well be empty.
    /// </summary>
    private static IEnumerable<(string Expression, bool MustHaveData)> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Monitoring, "memory-pressure.dashboard.json")));
        var root = dashboard.RootElement;
        var panels = root.GetProperty("panels").EnumerateArray().SelectMany(panel => panel.GetProperty("targets").EnumerateArray()).Select(target => target.GetProperty("expr").GetString()!);
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(variable => variable.GetProperty("type").GetString() == "query")
            .Select(variable => LabelValues().Replace(variable.GetProperty("query").GetProperty("query").GetString()!, "group by ($2) ($1)"));
        var annotations = root.GetProperty("annotations").GetProperty("list").EnumerateArray().Select(annotation => annotation.GetProperty("expr").GetString()!);
        return
        [
            .. panels.Concat(variables).Select(expression => (Grafana(expression), true)),
            .. annotations.Select(expression => (Grafana(expression), false)),
        ];
    }

    private static string Grafana(string expression) => expression
        .Replace("$job", Job, StringComparison.Ordinal)
        .Replace("$instance", ".+", StringComparison.Ordinal)
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal);

    [GeneratedRegex(@"(?m)^# TYPE (memory_pressure_\w+) (\w+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"(?m)^\s+-?\s*(alert|expr): (.+)$")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"\bmemory_pressure_\w+")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"^label_values\((.+), (\w+)\)$")]
    private static partial Regex LabelValues();
}
