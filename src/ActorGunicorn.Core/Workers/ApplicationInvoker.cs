using Akka.Actor;
using ActorGunicorn.Gateway;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The application-invocation actors: <c>--threads</c> of them, each running one request at a time. Connections send
/// them an <see cref="HttpExchange"/>; the pool routes it to an idle invoker, counting each invoker's exchanges until
/// they finish (an invoker blocked in the application or awaiting an asynchronous one is busy, so the pool passes
/// it by).
/// </summary>
internal static class ApplicationInvoker
{
    /// <summary>Props for the pool of <paramref name="threads"/> invokers over one application instance.</summary>
    /// <remarks>One thread (gunicorn's default) needs no router: connections talk to the single invoker directly.</remarks>
    public static Props PoolProps(IGatewayApplication application, int threads)
    {
        if (threads == 1)
        {
            return Props.Create(() => new ApplicationInvokerActor(application, null));
        }

        var load = new InvokerLoad();
        return Props.Create(() => new ApplicationInvokerActor(application, load)).WithRouter(new LeastBusyPool(threads, load));
    }
}
