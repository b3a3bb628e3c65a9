using System.Text.RegularExpressions;
using MemoryPressure.Reactive.Tests.Support;

namespace MemoryPressure.Reactive.Examples.Tests.Support;

/// <summary>
/// A row of README.md's table of the series Prometheus shows ("Dashboards and alerts"): the one
/// place the names, types and labels are written, read by the test that checks them in a real Prometheus.
/// </summary>
/// <param name="Instrument">The instrument's name (<c>memory_pressure.reactions</c>).</param>
/// <param name="Series">The metric family as Prometheus names it (<c>memory_pressure_reactions_total</c>).</param>
/// <param name="Type">The family's type: <c>gauge</c>, <c>counter</c> or <c>histogram</c>.</param>
/// <param name="Labels">The labels of its own (the cell's names outside parentheses), besides <c>otel_scope_name</c>, <c>job</c> and <c>instance</c> (and a histogram bucket's <c>le</c>).</param>
internal sealed partial record DocumentedSeries(string Instrument, string Series, string Type, IReadOnlyList<string> Labels)
{
    /// <summary>The header the table starts with.</summary>
    private const string Header = "| instrument | Prometheus series | type | unit | labels |";

    /// <summary>The rows of the table in README.md.</summary>
    /// <exception cref="InvalidOperationException">README.md has no such table.</exception>
    public static IReadOnlyList<DocumentedSeries> ReadReadme()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "README.md"));
        var header = Array.FindIndex(lines, line => line.StartsWith(Header, StringComparison.Ordinal));
        if (header < 0)
        {
            throw new InvalidOperationException($"README.md has no table that starts with \"{Header}\"");
        }

        return
        [
            .. lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')).Select(line =>
            {
                var cells = line.Trim('|').Split('|');
                return new DocumentedSeries(
                    Code(cells[0]).Single(),
                    Code(cells[1]).First(),
                    cells[2].Trim(),
                    [.. Code(Parenthesis().Replace(cells[4], ""))]);
            }),
        ];
    }

    /// <summary>The names Prometheus holds for this family: the family itself, or a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.</summary>
    public IEnumerable<string> Names => Type == "histogram" ? [$"{Series}_bucket", $"{Series}_sum", $"{Series}_count"] : [Series];

    private static IEnumerable<string> Code(string cell) => InlineCode().Matches(cell).Select(match => match.Groups[1].Value);

    /// <summary>A remark in parentheses, such as a label's values.</summary>
    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesis();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();
}
