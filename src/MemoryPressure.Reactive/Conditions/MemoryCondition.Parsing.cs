using System.Diagnostics.CodeAnalysis;
using MemoryPressure.Reactive.Conditions;

namespace MemoryPressure.Reactive;

/// <content>The condition text form: <see cref="Parse"/> and <see cref="TryParse"/>.</content>
public abstract partial class MemoryCondition
{
    /// <summary>
    /// Reads a condition from its text form, as written in configuration files and command lines.
    /// </summary>
    /// <param name="text">The text, for example <c>LocalRelative &lt; 10% | GlobalAbsolute &lt; 256MB</c>.</param>
    /// <returns>The condition; its <see cref="object.ToString"/> reads back to an equal condition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">
    /// The text is not a condition; the message gives the position (0-based) and what was expected
    /// there. Values out of range (a percentage outside (0, 100], a byte count too large) are format errors too.
    /// </exception>
    /// <remarks>
    /// <para>Grammar (whitespace between tokens is ignored; kinds and units are case-insensitive):</para>
    /// <code>
    /// condition := and ( '|' and )*
    /// and       := unary ( '&amp;' unary )*
    /// unary     := '!'* ( '(' condition ')' | atom )
    /// atom      := ( 'GlobalAbsolute' | 'LocalAbsolute' | 'HeapAbsolute' ) '&lt;' number [ 'B' | 'KB' | 'MB' | 'GB' | 'KiB' | 'MiB' | 'GiB' ]
    ///            | ( 'GlobalRelative' | 'LocalRelative' | 'HeapRelative' ) '&lt;' number '%'
    /// </code>
    /// <para>
    /// <c>!</c> binds tightest, then <c>&amp;</c>, then <c>|</c>. Units count 1024^n: <c>MB</c> and <c>MiB</c> are the same unit. A chain
    /// <c>a &amp; b &amp; c</c> gives one <see cref="All"/> of three; parentheses keep their group.
    /// </para>
    /// </remarks>
    public static MemoryCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConditionParser(text).ParseWhole();
    }

    /// <summary>Reads a condition from its text form, without throwing on bad text.</summary>
    /// <param name="text">The text; see <see cref="Parse"/> for the grammar.</param>
    /// <param name="condition">The condition read, or <see langword="null"/> when the text is not one.</param>
    /// <returns><see langword="true"/> when the text is a condition.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out MemoryCondition? condition)
    {
        condition = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            condition = new ConditionParser(text).ParseWhole();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
