using Akka.Actor;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// What the server actor runs, composed by <see cref="InProcessComposition"/> or <see cref="PreForkComposition"/> for one of the two modes: the worker
/// actor tree (in-process) or the arbiter (pre-fork), over listeners already open.
/// </summary>
/// <param name="Listeners">The open listeners; the server actor closes them once serving has finished.</param>
/// <param name="Start">Starts the serving actors as children of the server actor; returns the one that is stopped.</param>
/// <param name="BeginGracefulStop">
/// Makes the listeners ready for the stop and returns the message that makes that actor stop gracefully.
/// </param>
/// <param name="Finished">Completes when serving has finished (every request answered, every worker gone).</param>
internal sealed record ServedTree(
    IReadOnlyList<Listener> Listeners,
    Func<IUntypedActorContext, IActorRef> Start,
    Func<object> BeginGracefulStop,
    Task Finished);
