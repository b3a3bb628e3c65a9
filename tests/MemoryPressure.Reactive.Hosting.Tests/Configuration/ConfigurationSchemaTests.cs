using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MemoryPressure.Reactive.Hosting.Tests.Configuration;

/// <summary>The schema in the reader's doc comment against the reader's tables: one list of keys, kept in one place.</summary>
public partial class ConfigurationSchemaTests
{
    /// <summary>Gets the keys the comment documents, by the object that holds them: the section (""), <c>Triggers</c>, a level.</summary>
    public static TheoryData<string> Objects => ["", "Triggers", "Levels:0"];

    [Theory]
    [MemberData(nameof(Objects))]
    public void Every_key_the_schema_comment_documents_is_read_and_the_unknown_key_error_lists_exactly_them(string parent)
    {
        var documented = DocumentedKeys()[parent];
        var prefix = parent.Length == 0 ? "MemoryPressure" : $"MemoryPressure:{parent}";
        var values = documented
            .Where(key => parent.Length > 0 || key is not ("Triggers" or "Levels")) // objects: read through their own keys
            .ToDictionary(key => $"{prefix}:{key}", _ => (string?)"x");
        values[$"{prefix}:NoSuchKey"] = "x";
        var options = new MemoryPressureHostingOptions();

        MemoryPressureConfigurationReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("MemoryPressure"), options);

        var unknown = Assert.Single(options.ConfigurationErrors, e => e.Value.Contains("unknown key", StringComparison.Ordinal));
        Assert.Equal($"{prefix}:NoSuchKey", unknown.Key);
        var listed = ExpectedKeys().Match(unknown.Value).Groups["keys"].Value.Replace(" or ", ", ", StringComparison.Ordinal).Split(", ");
        Assert.Equal(documented.Order(), listed.Order());
    }

    /// <summary>
    /// Reads the <c>&lt;code&gt;</c> block of the reader's remarks: a line's keys are the names before the
    /// first run of two spaces; an indented line's belong to the object of the unindented line above it.
    /// </summary>
    private static Dictionary<string, List<string>> DocumentedKeys()
    {
        var source = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "schema", "MemoryPressureConfigurationReader.cs"));
        var code = source.SkipWhile(line => !line.Contains("<code>", StringComparison.Ordinal)).Skip(1).TakeWhile(line => !line.Contains("</code>", StringComparison.Ordinal));
        var keys = new Dictionary<string, List<string>> { [""] = [] };
        var parent = string.Empty;
        foreach (var line in code)
        {
            var match = SchemaLine().Match(line);
            Assert.True(match.Success, $"a schema line the test cannot read: {line}");
            var names = match.Groups["keys"].Value.Split(", ");
            if (match.Groups["indent"].Length == 0)
            {
                keys[""].AddRange(names);
                parent = names[^1] == "Levels" ? "Levels:0" : names[^1];
            }
            else
            {
                keys.TryAdd(parent, []);
                keys[parent].AddRange(names);
            }
        }

        return keys;
    }

    [GeneratedRegex(@"^\s*/// (?<indent> *)(?<keys>\w+(, \w+)*)  ")]
    private static partial Regex SchemaLine();

    [GeneratedRegex("expected one of (?<keys>.+)$")]
    private static partial Regex ExpectedKeys();
}
