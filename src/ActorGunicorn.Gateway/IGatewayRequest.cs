using System.Net;

namespace ActorGunicorn.Gateway;

/// <summary>One HTTP request as the server parsed it.</summary>
/// <remarks>
/// The object is reused for the connection's next request once <see cref="IGatewayApplication.InvokeAsync"/>
/// completes. Strings are created on first access, so an application pays only for what it reads.
/// </remarks>
public interface IGatewayRequest
{
    /// <summary>The request method as received, e.g. <c>GET</c>.</summary>
    string Method { get; }

    /// <summary>The request-target exactly as received, e.g. <c>/a%20b?x=1</c> (WSGI's <c>RAW_URI</c>).</summary>
    string RawTarget { get; }

    /// <summary>
    /// The path, percent-decoded and read as UTF-8 (bytes that are not valid UTF-8 are read as latin-1), without
    /// the query string. For <c>*</c> and authority-form targets it is the target itself.
    /// </summary>
    string Path { get; }

    /// <summary>The query string without the leading <c>?</c>, not decoded; empty when there is none.</summary>
    string QueryString { get; }

    /// <summary>The protocol version as in the request line, e.g. <c>HTTP/1.1</c>.</summary>
    string Protocol { get; }

    /// <summary><c>http</c>, or <c>https</c> on a TLS listener or when a trusted proxy says so.</summary>
    string Scheme { get; }

    /// <summary>The request headers in the order received, duplicates kept.</summary>
    IGatewayHeaders Headers { get; }

    /// <summary>
    /// The trailer fields of a chunked body, in the order received; empty until the body has been read to its end,
    /// and for bodies that are not chunked.
    /// </summary>
    IGatewayHeaders Trailers { get; }

    /// <summary>The body length announced by Content-Length, or null for chunked or absent bodies.</summary>
    long? ContentLength { get; }

    /// <summary>
    /// The request body, streamed from the connection as the application reads it. Reading it first sends
    /// <c>100 Continue</c> when the client asked for one. Empty when the request has no body. A read throws
    /// <see cref="RequestBodyException"/> when the server refuses the body (broken chunked framing, too large, too
    /// slow), and a plain <see cref="IOException"/> when the connection failed.
    /// </summary>
    Stream Body { get; }

    /// <summary>The client's address: an <see cref="IPEndPoint"/>, or a Unix socket endpoint.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>The listener's address that accepted the connection.</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>Cancelled when the client goes away or the worker aborts the request.</summary>
    CancellationToken Aborted { get; }
}
