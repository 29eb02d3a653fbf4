using ActorGunicorn.Gateway;

namespace ActorGunicorn.Hooks;

/// <summary>
/// An application with gunicorn's request hooks around each call: pre_request before it (an exception fails the
/// request, a 500), post_request after it, whatever happened (an exception is logged). Used only when some hook
/// defines one of them.
/// </summary>
internal sealed class RequestHooksApplication(IGatewayApplication application, HookChain before, HookChain after, IWorkerInfo worker)
    : IGatewayApplication
{
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        ValueTask call;
        try
        {
            before.RunOrThrow(hooks => hooks.PreRequest(worker, request));
            call = application.InvokeAsync(request, response);
        }
        catch (Exception ex)
        {
            After(request, response);
            return ValueTask.FromException(ex);
        }

        if (!call.IsCompletedSuccessfully)
        {
            return AfterAsync(call, request, response);
        }

        // Consumes the result, so a pooled task source (the WSGI gateway's) is recycled.
        call.GetAwaiter().GetResult();
        After(request, response);
        return default;
    }

    private async ValueTask AfterAsync(ValueTask call, IGatewayRequest request, IGatewayResponse response)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        finally
        {
            After(request, response);
        }
    }

    private void After(IGatewayRequest request, IGatewayResponse response) =>
        after.Run("post_request", hooks => hooks.PostRequest(worker, request, response));
}
