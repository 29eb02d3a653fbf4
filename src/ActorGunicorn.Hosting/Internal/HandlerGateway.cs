using Akka.Actor;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// Stands between the connections and one actor handler: it refuses requests with 503 while the handler is dead or
/// has too many unanswered, and starts one <see cref="HandlerExchange"/> child per accepted request.
/// </summary>
internal static class HandlerGateway
{
    /// <summary>Props for the gateway of <paramref name="handler"/>.</summary>
    public static Props Props(IActorRef handler, ActorHandler options) =>
        Akka.Actor.Props.Create(() => new HandlerGatewayActor(handler, options));

    /// <summary>Command: serve one request through the handler; <paramref name="Answered"/> completes when the response is done.</summary>
    /// <param name="Request">The request.</param>
    /// <param name="Response">Its response.</param>
    /// <param name="Answered">Completed when the response is finished (or failed, which cuts the connection).</param>
    public sealed record Begin(IGatewayRequest Request, IGatewayResponse Response, TaskCompletionSource Answered);
}

/// <summary>The gateway's actor; see <see cref="HandlerGateway"/>.</summary>
internal sealed class HandlerGatewayActor : ReceiveActor
{
    private readonly IActorRef _handler;
    private readonly ActorHandler _options;
    private int _outstanding;
    private bool _handlerAlive = true;

    public HandlerGatewayActor(IActorRef handler, ActorHandler options)
    {
        _handler = handler;
        _options = options;
        Receive<HandlerGateway.Begin>(Serve);
        Receive<Terminated>(OnTerminated);
    }

    protected override void PreStart() => Context.Watch(_handler);

    // An exchange that fails answers its own request (its PostStop); nothing is restarted.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private void Serve(HandlerGateway.Begin begin)
    {
        if (!_handlerAlive)
        {
            StatusReply.Send(begin, 503, "Service Unavailable: the request handler has stopped\n");
            return;
        }

        if (_outstanding >= _options.MaxOutstandingRequests)
        {
            StatusReply.Send(begin, 503, "Service Unavailable: too many requests are waiting for the handler\n");
            return;
        }

        _outstanding++;
        Context.Watch(Context.ActorOf(HandlerExchange.Props(begin, _handler, _options.Timeout)));
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_handler))
        {
            _handlerAlive = false;
        }
        else
        {
            _outstanding--;
        }
    }
}
