using System.Runtime.CompilerServices;

namespace MemoryPressure.Reactive.Hosting;

/// <summary>
/// The host's own observer of every sample (its trace line, its metrics, a held level's repeat):
/// compiled optimised at its first call, where Rx's <c>AnonymousObserver</c> behind a lambda
/// <c>Subscribe</c> would run unoptimised for thirty samples and be compiled twice more, at the
/// 30th and 60th, in the middle of a rest. The manager's sample lists neither fail nor need their end
/// observed: the host disposes its subscriptions beside the manager.
/// </summary>
internal sealed class SampleFollower(Action<MemorySample> onNext) : IObserver<MemorySample>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void OnNext(MemorySample value) => onNext(value);

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }
}
