using System.Globalization;

namespace MemoryPressure.Reactive.Conditions;

/// <summary>A recursive-descent parser of the condition text form; one instance per text.</summary>
internal sealed class ConditionParser(string text)
{
    /// <summary>
    /// Parentheses and negations nested deeper than this are refused, so no text builds a condition
    /// too deep for the recursive walks over it (<c>CanFire</c>, <c>ToString</c>, <c>Equals</c>) to finish.
    /// </summary>
    private const int MaximumDepth = 64;

    /// <summary>The kinds of the text form: each makes its condition from bytes or from a percentage.</summary>
    private static readonly Kind[] Known =
    [
        new("GlobalAbsolute", static bytes => new GlobalAbsoluteValue(bytes), null),
        new("GlobalRelative", null, static percent => new GlobalRelativeValue(percent)),
        new("LocalAbsolute", static bytes => new LocalAbsoluteValue(bytes), null),
        new("LocalRelative", null, static percent => new LocalRelativeValue(percent)),
        new("HeapAbsolute", static bytes => new HeapAbsoluteValue(bytes), null),
        new("HeapRelative", null, static percent => new HeapRelativeValue(percent)),
    ];

    private static readonly string Kinds = $"{string.Join(", ", Known[..^1].Select(k => k.Name))} or {Known[^1].Name}";

    private int _position;
    private int _depth;

    public MemoryCondition ParseWhole()
    {
        var condition = ParseOr();
        SkipSpace();
        if (_position < text.Length)
        {
            throw Error(text[_position] == ')' ? "'&', '|' or the end (this ')' closes nothing)" : "'&', '|' or the end");
        }

        return condition;
    }

    private MemoryCondition ParseOr()
    {
        var first = ParseAnd();
        if (!Peek('|'))
        {
            return first;
        }

        var parts = new List<MemoryCondition> { first };
        while (Accept('|'))
        {
            parts.Add(ParseAnd());
        }

        return new Any([.. parts]);
    }

    private MemoryCondition ParseAnd()
    {
        var first = ParseUnary();
        if (!Peek('&'))
        {
            return first;
        }

        var parts = new List<MemoryCondition> { first };
        while (Accept('&'))
        {
            parts.Add(ParseUnary());
        }

        return new All([.. parts]);
    }

    private MemoryCondition ParseUnary()
    {
        var negations = 0;
        while (Accept('!'))
        {
            if (++negations + _depth > MaximumDepth)
            {
                _position--;
                throw Error($"at most {MaximumDepth} nested parentheses and negations");
            }
        }

        _depth += negations;
        var condition = ParsePrimary();
        _depth -= negations;
        for (var i = 0; i < negations; i++)
        {
            condition = new Not(condition);
        }

        return condition;
    }

    private MemoryCondition ParsePrimary()
    {
        SkipSpace();
        if (!Accept('('))
        {
            return ParseAtom();
        }

        if (++_depth > MaximumDepth)
        {
            throw Error($"at most {MaximumDepth} nested parentheses and negations");
        }

        var inner = ParseOr();
        if (!Accept(')'))
        {
            throw Error("')'");
        }

        _depth--;
        return inner;
    }

    private MemoryCondition ParseAtom()
    {
        SkipSpace();
        var start = _position;
        while (_position < text.Length && char.IsAsciiLetter(text[_position]))
        {
            _position++;
        }

        var name = text.AsSpan(start, _position - start);
        var kind = Find(name);
        if (kind is null)
        {
            _position = start;
            throw Error($"a condition ({Kinds}), '!' or '('");
        }

        if (!Accept('<'))
        {
            throw Error($"'<' after {name}");
        }

        SkipSpace();
        var valueStart = _position;
        var number = ParseNumber();
        if (kind.FromBytes is { } fromBytes)
        {
            return fromBytes(ToBytes(number, text.AsSpan(valueStart, _position - valueStart), ParseUnit(), valueStart));
        }

        if (!Accept('%'))
        {
            throw Error("'%' after the percentage");
        }

        if (double.IsNaN(number) || number <= 0 || number > 100)
        {
            _position = valueStart;
            throw Error("a percentage in (0, 100]");
        }

        return kind.FromPercent!(number);
    }

    private static Kind? Find(ReadOnlySpan<char> name)
    {
        foreach (var kind in Known)
        {
            if (name.Equals(kind.Name, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return null;
    }

    private double ParseNumber()
    {
        var start = _position;
        while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] == '.'))
        {
            _position++;
        }

        // An exponent, as round-trip formatting writes very small percentages (1E-05): 'E', a sign, digits.
        var exponent = _position;
        if (exponent < text.Length && text[exponent] is 'e' or 'E')
        {
            exponent++;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsAsciiDigit(text[exponent]))
            {
                _position = exponent;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }
            }
        }

        if (!double.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
        {
            _position = start;
            throw Error("a number");
        }

        return number;
    }

    private long ParseUnit()
    {
        SkipSpace();
        var start = _position;
        while (_position < text.Length && char.IsAsciiLetter(text[_position]))
        {
            _position++;
        }

        if (MemoryUnits.TryParseUnit(text.AsSpan(start, _position - start), out var bytesPerUnit))
        {
            return bytesPerUnit;
        }

        _position = start;
        throw Error("a unit (B, KB, MB, GB, KiB, MiB or GiB)");
    }

    /// <summary>
    /// Turns a number and a unit into bytes: exactly for a whole number (a double would round counts
    /// past 2^53), through a double for a fraction, which must come to whole bytes.
    /// </summary>
    private long ToBytes(double number, ReadOnlySpan<char> digits, long unit, int valueStart)
    {
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
        {
            if (whole <= long.MaxValue / unit)
            {
                return whole * unit;
            }
        }
        else if (number * unit < long.MaxValue && number * unit == Math.Floor(number * unit))
        {
            return (long)(number * unit);
        }

        _position = valueStart;
        throw Error(number * unit >= long.MaxValue || whole > 0 ? "a byte count below 8 EiB" : "a whole number of bytes");
    }

    private bool Peek(char expected)
    {
        SkipSpace();
        return _position < text.Length && text[_position] == expected;
    }

    private bool Accept(char expected)
    {
        if (!Peek(expected))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void SkipSpace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string expected)
    {
        var found = _position < text.Length ? $"'{text[_position]}'" : "the end of the text";
        return new FormatException($"Condition text \"{text}\": expected {expected} at position {_position}, found {found}.");
    }

    /// <summary>A kind of condition of the text form.</summary>
    /// <param name="Name">The kind's name, matched case-insensitively.</param>
    /// <param name="FromBytes">Makes the condition from a byte count, for a kind whose value is bytes.</param>
    /// <param name="FromPercent">Makes the condition from a percentage, for a kind whose value is a percentage.</param>
    private sealed record Kind(string Name, Func<long, MemoryCondition>? FromBytes, Func<double, MemoryCondition>? FromPercent);
}
