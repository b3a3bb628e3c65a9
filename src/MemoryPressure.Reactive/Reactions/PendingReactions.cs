using System.Runtime.CompilerServices;
using MemoryPressure.Reactive.Handlers;

namespace MemoryPressure.Reactive.Reactions;

/// <summary>
/// The levels that acted on a sample, kept until the next sample is judged, which completes each one's
/// <see cref="MemoryReaction"/> with the figures after it.
/// </summary>
/// <remarks>Not thread-safe: the manager calls it under its gate. Allocates nothing.</remarks>
internal sealed class PendingReactions(int levels)
{
    private readonly MemoryReactionKind?[] _kinds = new MemoryReactionKind?[levels + 1];
    private MemorySample _before;
    private bool _any;

    /// <summary>Notes that a level acted on a sample.</summary>
    public void Add(int level, MemoryReactionKind kind, in MemorySample before)
    {
        _kinds[level] = kind;
        _before = before;
        _any = true;
    }

    /// <summary>Publishes the reactions noted, level by level, completed with the sample after them, and forgets them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Publish(in MemorySample after, HandlerList<MemoryReaction> reactions)
    {
        if (!_any)
        {
            return;
        }

        _any = false;
        for (var level = 1; level < _kinds.Length; level++)
        {
            if (_kinds[level] is { } kind)
            {
                _kinds[level] = null;
                reactions.Publish(new MemoryReaction(level, kind, _before, after));
            }
        }
    }

    /// <summary>Forgets the reactions noted.</summary>
    public void Clear()
    {
        _any = false;
        Array.Clear(_kinds);
    }
}
