using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Sizing;

/// <summary>
/// A visited set hashed by the runtime's identity hash codes: slower and larger than
/// <see cref="AddressVisitedSet"/>, but a GC does not invalidate it. The walk falls back to it when
/// collections keep interrupting address-keyed attempts.
/// </summary>
/// <remarks>
/// <see cref="RuntimeHelpers.GetHashCode(object)"/> runs no user code; the first call on an object
/// stores the hash code in its header, which changes nothing the program can observe.
/// </remarks>
internal struct IdentityVisitedSet() : IVisitedSet
{
    private object?[] _slots = new object?[16];
    private int _count;

    /// <inheritdoc/>
    public readonly bool IsValid => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(object value)
    {
        var mask = _slots.Length - 1;
        var index = Spread(value) & mask;
        while (_slots[index] is { } entry)
        {
            if (ReferenceEquals(entry, value))
            {
                return false;
            }

            index = (index + 1) & mask;
        }

        _slots[index] = value;
        if (++_count > _slots.Length / 2)
        {
            Grow();
        }

        return true;
    }

    private void Grow()
    {
        var slots = new object?[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var value in _slots)
        {
            if (value is not null)
            {
                var index = Spread(value) & mask;
                while (slots[index] is not null)
                {
                    index = (index + 1) & mask;
                }

                slots[index] = value;
            }
        }

        _slots = slots;
    }

    private static int Spread(object value) =>
        (int)(((ulong)(uint)RuntimeHelpers.GetHashCode(value) * 0x9E3779B97F4A7C15) >> 32);
}
