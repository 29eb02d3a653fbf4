using Akka.Actor;
using Akka.Routing;
using ActorGunicorn.Gateway;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The application-invocation actors: <c>--threads</c> of them, each running one request at a time. Connections send
/// them an <see cref="HttpExchange"/>; the pool routes it to an idle invoker (an invoker awaiting an asynchronous
/// application is suspended, so the pool passes it by).
/// </summary>
internal static class ApplicationInvoker
{
    /// <summary>Props for the pool of <paramref name="threads"/> invokers over one application instance.</summary>
    public static Props PoolProps(IGatewayApplication application, int threads) =>
        Props.Create(() => new ApplicationInvokerActor(application))
            .WithRouter(new SmallestMailboxPool(threads));
}
