using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>A delegate as a gateway application.</summary>
internal sealed class DelegateApplication : IGatewayApplication
{
    private readonly Func<IGatewayRequest, IGatewayResponse, ValueTask> _invoke;

    public DelegateApplication(Func<IGatewayRequest, IGatewayResponse, ValueTask> invoke) => _invoke = invoke;

    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response) => _invoke(request, response);
}
