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
    /// <remarks>One thread (gunicorn's default) needs no router: connections talk to the single invoker directly.</remarks>
    public static Props PoolProps(IGatewayApplication application, int threads)
    {
        var invoker = Props.Create(() => new ApplicationInvokerActor(application));
        return threads == 1 ? invoker : invoker.WithRouter(new SmallestMailboxPool(threads));
    }
}
