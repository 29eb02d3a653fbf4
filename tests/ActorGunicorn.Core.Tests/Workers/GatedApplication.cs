using ActorGunicorn.Gateway;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// An application that holds each request until the spec releases it, then answers with a fixed body: the way to
/// have a request provably in flight while the spec does something else.
/// </summary>
internal sealed class GatedApplication(string body) : IGatewayApplication
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a request has reached the application.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets the held request finish.</summary>
    public void Release() => _released.TrySetResult();

    public async ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        _entered.TrySetResult();
        await _released.Task;
        var bytes = System.Text.Encoding.ASCII.GetBytes(body);
        response.ContentLength = bytes.Length;
        await response.WriteAsync(bytes);
    }
}
