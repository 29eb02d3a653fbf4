using Akka.Actor;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// The gateway application in front of an actor handler: each call becomes a <see cref="HandlerGateway.Begin"/>
/// for the handler's gateway actor, and completes when that request's exchange actor has finished the response.
/// </summary>
internal sealed class ActorHandlerApplication : IGatewayApplication
{
    private readonly IActorRef _gateway;

    public ActorHandlerApplication(IActorRef gateway) => _gateway = gateway;

    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gateway.Tell(new HandlerGateway.Begin(request, response, answered));
        return new ValueTask(answered.Task);
    }
}
