using Akka.Actor.Setup;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hosting;

/// <summary>
/// What the server needs that HOCON cannot hold: the in-process application (a gateway application instance or an
/// actor handler) and the pre-fork worker executable. Added to the actor system's setup by
/// <see cref="ActorGunicornHostingExtensions"/>; exactly one of <see cref="Application"/>, <see cref="Handler"/> or
/// the options' <c>App</c> (pre-fork) names what is served.
/// </summary>
public sealed class ActorGunicornSetup : Setup
{
    /// <summary>In-process mode: the .NET gateway application, called inside the host's actor system.</summary>
    public IGatewayApplication? Application { get; init; }

    /// <summary>In-process mode: the actor that answers each request as a message.</summary>
    public ActorHandler? Handler { get; init; }

    /// <summary>Pre-fork mode: the <c>actorgunicorn</c> executable worker processes run; null for the default.</summary>
    public string? WorkerExecutable { get; init; }
}
