using System.Text;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// Writes a type's name in the C# form the runtime's own diagnostics use, which heap breakdowns print
/// too: namespace-qualified, generic arguments in angle brackets, nested types after <c>+</c>,
/// arrays after the element: <c>System.Collections.Generic.Dictionary&lt;System.Int32, Order&gt;+Entry[]</c>.
/// </summary>
internal static class TypeNames
{
    public static string Format(Type type)
    {
        var name = new StringBuilder();
        Append(name, type);
        return name.ToString();
    }

    private static void Append(StringBuilder name, Type type)
    {
        if (type.IsArray)
        {
            Append(name, type.GetElementType()!);
            name.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsPointer || type.IsByRef)
        {
            Append(name, type.GetElementType()!);
            name.Append(type.IsPointer ? '*' : '&');
            return;
        }

        AppendNested(name, type, type.IsGenericType ? type.GetGenericArguments() : []);
    }

    /// <summary>Writes a type and the types it is nested in, each with its own share of the generic arguments.</summary>
    /// <returns>How many of <paramref name="arguments"/> the type and its declaring types took.</returns>
    private static int AppendNested(StringBuilder name, Type type, Type[] arguments)
    {
        var taken = 0;
        if (type.DeclaringType is { } outer && !type.IsGenericParameter)
        {
            taken = AppendNested(name, outer, arguments);
            name.Append('+');
        }
        else if (type.Namespace is { Length: > 0 } ns)
        {
            name.Append(ns).Append('.');
        }

        var simple = type.Name;
        var tick = simple.IndexOf('`', StringComparison.Ordinal);
        if (tick < 0)
        {
            name.Append(simple);
            return taken;
        }

        name.Append(simple, 0, tick);
        var own = int.Parse(simple.AsSpan(tick + 1), System.Globalization.CultureInfo.InvariantCulture);
        name.Append('<');
        for (var i = 0; i < own; i++)
        {
            if (i > 0)
            {
                name.Append(", ");
            }

            if (taken + i < arguments.Length)
            {
                Append(name, arguments[taken + i]);
            }
        }

        name.Append('>');
        return taken + own;
    }
}
