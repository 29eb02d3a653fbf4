using ActorGunicorn.Gateway;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>A gateway application made of a delegate, for specs.</summary>
internal sealed class TestApplication(Func<IGatewayRequest, IGatewayResponse, ValueTask> handler) : IGatewayApplication
{
    /// <summary>Answers every request with its method and path as plain text.</summary>
    public static TestApplication Echo { get; } = new(async (request, response) =>
    {
        var body = System.Text.Encoding.ASCII.GetBytes($"{request.Method} {request.Path}");
        response.ContentLength = body.Length;
        await response.WriteAsync(body);
    });

    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response) => handler(request, response);
}
