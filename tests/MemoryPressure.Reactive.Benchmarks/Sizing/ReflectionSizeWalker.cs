using System.Reflection;
using MemoryPressure.Reactive.Sizing;

namespace MemoryPressure.Reactive.Benchmarks.Sizing;

/// <summary>
/// The obvious way to weigh a graph, as the benchmark's baseline: instance fields found by
/// reflection and cached per type, read with <see cref="FieldInfo.GetValue(object)"/>, visited
/// objects in a <see cref="HashSet{T}"/> compared by reference. Structs (in fields and array
/// elements) are read boxed. Each object is sized with the same primitive ObjectSize uses, so
/// both give the same total and only the walking differs.
/// </summary>
internal sealed class ReflectionSizeWalker
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private readonly Dictionary<Type, FieldInfo[]> _fields = [];
    private readonly Dictionary<Type, bool> _holdsReferences = [];

    public long GetSize(object root)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance) { root };
        var pending = new Stack<object>();
        pending.Push(root);
        long total = 0;
        while (pending.TryPop(out var value))
        {
            total += ObjectLayout.AllocatedSize(value);
            if (value is Array array)
            {
                if (HoldsReferences(array.GetType().GetElementType()!))
                {
                    foreach (var element in array)
                    {
                        Follow(element, visited, pending);
                    }
                }
            }
            else
            {
                VisitFields(value, visited, pending);
            }
        }

        return total;
    }

    private void Follow(object? value, HashSet<object> visited, Stack<object> pending)
    {
        if (value is null)
        {
            return;
        }

        if (value.GetType().IsValueType)
        {
            // A struct read out of a field or an element: its fields belong to the holder.
            VisitFields(value, visited, pending);
        }
        else if (visited.Add(value))
        {
            pending.Push(value);
        }
    }

    private void VisitFields(object value, HashSet<object> visited, Stack<object> pending)
    {
        foreach (var field in FieldsOf(value.GetType()))
        {
            Follow(field.GetValue(value), visited, pending);
        }
    }

    private FieldInfo[] FieldsOf(Type type)
    {
        if (!_fields.TryGetValue(type, out var fields))
        {
            var found = new List<FieldInfo>();
            for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
            {
                found.AddRange(declaring.GetFields(InstanceFields).Where(field => HoldsReferences(field.FieldType)));
            }

            _fields[type] = fields = [.. found];
        }

        return fields;
    }

    private bool HoldsReferences(Type type)
    {
        if (type.IsPrimitive || type.IsPointer || type.IsEnum)
        {
            return false;
        }

        if (!type.IsValueType)
        {
            return true;
        }

        if (!_holdsReferences.TryGetValue(type, out var holds))
        {
            _holdsReferences[type] = false;
            _holdsReferences[type] = holds = type.GetFields(InstanceFields).Any(field => HoldsReferences(field.FieldType));
        }

        return holds;
    }
}
