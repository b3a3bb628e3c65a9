using System.Collections;
using Microsoft.Extensions.Logging;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// A logger that adds properties to the structured state of each line it logs, before its
/// <c>{OriginalFormat}</c>: the exact byte counts beside the human units of a source-generated message.
/// </summary>
/// <remarks>
/// The logging generator puts into the state only the arguments its template shows, so a figure the
/// message shows as <c>61.9 MiB</c> would reach queries and alerts only as that text. Wrapping the
/// logger for one call keeps the generated template the single source of the message and adds the
/// numbers (<c>ProcessResidentBytes = 64901120</c>) as properties of their own. The message itself is
/// the one the generated formatter makes.
/// </remarks>
internal sealed class PropertiesLogger(ILogger logger, KeyValuePair<string, object?>[] properties) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logger.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!logger.IsEnabled(logLevel))
        {
            return;
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>> structured)
        {
            logger.Log(logLevel, eventId, new State(structured, properties, formatter(state, exception)), exception, static (s, _) => s.Message);
            return;
        }

        logger.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The generated state's properties, then the added ones, then the generated <c>{OriginalFormat}</c> last, where consumers expect it.</summary>
    private sealed class State(IReadOnlyList<KeyValuePair<string, object?>> generated, KeyValuePair<string, object?>[] added, string message)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly int _split = generated.Count > 0 && generated[^1].Key == OriginalFormat ? generated.Count - 1 : generated.Count;

        public string Message => message;

        public int Count => generated.Count + added.Length;

        public KeyValuePair<string, object?> this[int index] =>
            index < _split ? generated[index]
            : index < _split + added.Length ? added[index - _split]
            : generated[index - added.Length];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}
