using System.Text.Json;

namespace CacheUnderLimit;

/// <summary>The one JSON form of <see cref="ChildEvent"/> lines, written by the child and read by the parent.</summary>
public static class ChildEventJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Writes an event as one line of JSON.</summary>
    public static string Serialize(ChildEvent value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a line written by <see cref="Serialize"/>; <see langword="null"/> for a line that is not an event.</summary>
    public static ChildEvent? TryDeserialize(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<ChildEvent>(line, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
