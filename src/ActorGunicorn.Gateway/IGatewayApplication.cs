namespace ActorGunicorn.Gateway;

/// <summary>
/// An application served by ActorGunicorn: the .NET counterpart of a WSGI callable (PEP 3333).
/// </summary>
/// <remarks>
/// <para>
/// A worker process creates one instance and calls <see cref="InvokeAsync"/> once per request. At most
/// <c>--threads</c> invocations run at the same time in one worker, so an application that keeps per-request state
/// in fields must be written for that concurrency (with the default of one thread, calls never overlap).
/// </para>
/// <para>
/// The type needs a public parameterless constructor. It may also implement <see cref="IGatewayLifecycle"/> to run
/// code when the worker starts and stops.
/// </para>
/// </remarks>
public interface IGatewayApplication
{
    /// <summary>Handles one request and writes its response.</summary>
    /// <param name="request">The request: line, headers, connection facts and a streaming body.</param>
    /// <param name="response">The response: status, headers and a streaming body with backpressure.</param>
    /// <returns>
    /// A task that completes when the response is complete. The server then finishes the response (final chunk,
    /// flush) and reuses both objects for the connection's next request, so do not keep references to them.
    /// </returns>
    ValueTask InvokeAsync(IGatewayRequest request, IGatewayResponse response);
}
