using System.Runtime.CompilerServices;
namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// The types one walk has met, keyed by MethodTable: whether each is excluded (the caller's
/// predicate, asked once per type) and how many objects and bytes of it were counted.
/// </summary>
/// <remarks>
/// Keyed by MethodTable rather than <see cref="Type"/> to avoid <see cref="object.GetType"/> per
/// object. A MethodTable address is reused only after its collectible type is unloaded, which
/// cannot happen during the walk: the table holds the <see cref="Type"/>.
/// </remarks>
internal sealed unsafe class TypeTable(Func<Type, bool>? exclude)
{
    private readonly Dictionary<nint, Total> _totals = [];
    private nint _lastMethodTable;
    private Total? _last;

    /// <summary>Gets the totals of the object's type, asking the exclusion predicate the first time the type is met.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Total Get(object value, MethodTableHeader* methodTable)
    {
        var key = (nint)methodTable;
        if (key == _lastMethodTable)
        {
            return _last!;
        }

        if (!_totals.TryGetValue(key, out var total))
        {
            var type = value.GetType();
            total = new Total(type, exclude?.Invoke(type) == true);
            _totals.Add(key, total);
        }

        _lastMethodTable = key;
        _last = total;
        return total;
    }

    /// <summary>Forgets the totals, keeping what the predicate said of each type.</summary>
    public void Reset()
    {
        foreach (var total in _totals.Values)
        {
            total.Clear();
        }
    }

    /// <summary>Gets the <paramref name="count"/> counted types that take the most bytes, largest first.</summary>
    public IReadOnlyList<TypeSize> Largest(int count) =>
        [.. _totals.Values
            .Where(total => total.Objects > 0)
            .OrderByDescending(total => total.Bytes)
            .ThenBy(total => total.Type.FullName, StringComparer.Ordinal)
            .Take(count)
            .Select(total => new TypeSize(total.Type, total.Bytes, total.Objects))];

    /// <summary>What was counted of one type.</summary>
    public sealed class Total(Type type, bool excluded)
    {
        /// <summary>Gets the type.</summary>
        public Type Type { get; } = type;

        /// <summary>Gets whether the walk skips objects of this type.</summary>
        public bool Excluded { get; } = excluded;

        /// <summary>Gets the bytes counted.</summary>
        public long Bytes { get; private set; }

        /// <summary>Gets the objects counted.</summary>
        public long Objects { get; private set; }

        /// <summary>Adds one object of <paramref name="bytes"/>.</summary>
        public void Add(long bytes)
        {
            Bytes += bytes;
            Objects++;
        }

        /// <summary>Sets the totals back to zero.</summary>
        public void Clear()
        {
            Bytes = 0;
            Objects = 0;
        }
    }
}
