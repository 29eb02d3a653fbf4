namespace ActorGunicorn.Gateway;

/// <summary>
/// Optional start and stop hooks for an <see cref="IGatewayApplication"/>, run once per worker process.
/// </summary>
public interface IGatewayLifecycle
{
    /// <summary>
    /// Runs before the worker accepts its first connection. An exception here is a boot failure: the worker exits
    /// with code 3 and the arbiter halts, as gunicorn does for a worker that fails to boot.
    /// </summary>
    /// <param name="server">Facts about the serving worker.</param>
    /// <param name="cancellationToken">Cancelled when the worker is told to stop while still starting.</param>
    ValueTask StartAsync(GatewayServerInfo server, CancellationToken cancellationToken);

    /// <summary>Runs after the worker has stopped accepting and every in-flight request has finished.</summary>
    /// <param name="cancellationToken">Cancelled when the graceful timeout runs out.</param>
    ValueTask StopAsync(CancellationToken cancellationToken);
}
