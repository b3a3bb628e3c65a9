using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The keys of one configuration object, each with how its value is read into a <typeparamref name="T"/>:
/// one row per key, in the order the unknown-key error lists them.
/// </summary>
/// <remarks>
/// A value that cannot be read, a value its setter refuses (with the setter's reason) and a key no row
/// has are each recorded under the full key; <c>where</c> starts each error (<c>level 2: </c>).
/// </remarks>
/// <typeparam name="T">What the object's values are read into.</typeparam>
internal sealed class ConfigurationTable<T>
{
    private readonly List<(string Key, ReadKey Read)> _rows = [];

    /// <summary>Reads the value of one key into its target, recording its errors.</summary>
    public delegate void ReadKey(IConfigurationSection section, T target, List<KeyValuePair<string, string>> errors, string where);

    /// <summary>Gets the keys as an error lists them: <c>A, B or C</c>.</summary>
    public string KeyList => $"{string.Join(", ", _rows.SkipLast(1).Select(r => r.Key))} or {_rows[^1].Key}";

    /// <summary>Reads each key of <paramref name="section"/> into <paramref name="target"/> by its row.</summary>
    public void Read(IConfigurationSection section, T target, List<KeyValuePair<string, string>> errors, string where)
    {
        foreach (var child in section.GetChildren())
        {
            if (Find(child.Key) is { } read)
            {
                read(child, target, errors, where);
            }
            else
            {
                errors.Add(new(child.Path, $"{where}unknown key, expected one of {KeyList}"));
            }
        }
    }

    /// <summary>Finds the row of a key, case-insensitively as configuration keys are.</summary>
    public ReadKey? Find(string key) => _rows.Find(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase)).Read;

    /// <summary>Adds a key whose text <paramref name="parser"/> reads and <paramref name="set"/> sets.</summary>
    public ConfigurationTable<T> Value<TValue>(string key, ValueParser<TValue> parser, Action<T, TValue> set) =>
        Key(key, (section, target, errors, where) =>
        {
            if (section.Value is { } text && parser.TryParse(text.Trim(), out var value))
            {
                Set(section, () => set(target, value), string.Create(CultureInfo.InvariantCulture, $"{value}"), errors, where);
            }
            else
            {
                errors.Add(new(section.Path, $"{where}expected {parser.Expected}, found {(section.Value is null ? "a section" : $"\"{section.Value}\"")}"));
            }
        });

    /// <summary>Adds a key whose text is set as it is (<see langword="null"/> for a section).</summary>
    public ConfigurationTable<T> Text(string key, Action<T, string?> set) =>
        Key(key, (section, target, errors, where) => Set(section, () => set(target, section.Value), $"\"{section.Value}\"", errors, where));

    /// <summary>Adds a key whose text is a condition (<see cref="MemoryCondition.Parse"/>), its parse error recorded with its position.</summary>
    public ConfigurationTable<T> Condition(string key, Action<T, MemoryCondition> set) =>
        Key(key, (section, target, errors, where) =>
        {
            try
            {
                set(target, MemoryCondition.Parse(section.Value ?? string.Empty));
            }
            catch (FormatException e)
            {
                errors.Add(new(section.Path, where + ConfigurationValues.Clause(e.Message)));
            }
        });

    /// <summary>Adds a key read by <paramref name="read"/>: a nested object, or a value of a shape of its own.</summary>
    public ConfigurationTable<T> Key(string key, ReadKey read)
    {
        _rows.Add((key, read));
        return this;
    }

    /// <summary>Sets a value whose setter checks it, recording the setter's refusal; <paramref name="shown"/> is the value as the error shows it.</summary>
    private static void Set(IConfigurationSection section, Action set, string shown, List<KeyValuePair<string, string>> errors, string where)
    {
        try
        {
            set();
        }
        catch (ArgumentException e)
        {
            errors.Add(new(section.Path, where + ConfigurationValues.Refusal(e, shown)));
        }
    }
}
