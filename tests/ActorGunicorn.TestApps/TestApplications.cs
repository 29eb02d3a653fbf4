using ActorGunicorn.Gateway;

namespace ActorGunicorn.TestApps;

/// <summary>Throws from its constructor: a boot failure (exit 3).</summary>
public sealed class ThrowsWhileConstructed : IGatewayApplication
{
    /// <summary>Always throws.</summary>
    public ThrowsWhileConstructed() => throw new InvalidOperationException("the database is unreachable");

    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response) => default;
}

/// <summary>Throws from its start hook: a boot failure (exit 3).</summary>
public sealed class ThrowsWhileStarting : IGatewayApplication, IGatewayLifecycle
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response) => default;

    /// <inheritdoc />
    public ValueTask StartAsync(GatewayServerInfo server, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the cache could not be warmed");

    /// <inheritdoc />
    public ValueTask StopAsync(CancellationToken cancellationToken) => default;
}

/// <summary>Does not implement the gateway interface: an app-load failure (exit 4).</summary>
public sealed class NotAnApplication
{
}

/// <summary>Throws on <c>/boom</c> before answering, and answers "ok" otherwise: the worker must live on.</summary>
public sealed class FailsOnRequest : IGatewayApplication
{
    /// <inheritdoc />
    public ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response)
    {
        if (request.Path == "/boom")
        {
            throw new InvalidOperationException("boom");
        }

        response.ContentLength = 2;
        return response.WriteAsync("ok"u8.ToArray());
    }
}
