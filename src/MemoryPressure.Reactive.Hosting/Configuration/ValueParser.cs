namespace MemoryPressure.Reactive.Hosting;

/// <summary>How a configuration value of one kind is read, and what an error says was expected instead.</summary>
/// <typeparam name="T">The kind of value.</typeparam>
/// <param name="Expected">What a value that cannot be read is said to miss: <c>true or false</c>.</param>
/// <param name="TryParse">Reads the value's text, without the spaces around it.</param>
internal sealed record ValueParser<T>(string Expected, ValueParser<T>.Parse TryParse)
{
    /// <summary>Reads a value's text; <see langword="false"/> when it is not a value of the kind.</summary>
    public delegate bool Parse(string text, out T value);
}
