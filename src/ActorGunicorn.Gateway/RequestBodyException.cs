namespace ActorGunicorn.Gateway;

/// <summary>
/// Thrown by a read of <see cref="IGatewayRequest.Body"/> when the server refuses the request body as the client
/// sent it: its chunked framing is broken (a bad chunk size or chunk extension, chunk data not followed by CRLF, a
/// malformed or forbidden trailer, the connection closed inside a chunk), it is larger than the server allows, or it
/// stopped arriving. The message says which. Let it propagate: the server then answers the client with
/// <see cref="StatusCode"/> (when no response has started) and closes the connection. An application that catches
/// it and answers anyway has its answer sent, and the connection is closed after it all the same, since the rest of
/// the input cannot be trusted. A connection that failed outright is a plain <see cref="IOException"/> instead.
/// </summary>
public class RequestBodyException : IOException
{
    /// <summary>Creates the exception for a body whose framing is broken (400).</summary>
    public RequestBodyException()
        : this("The request body's framing is broken.")
    {
    }

    /// <summary>Creates the exception for a body whose framing is broken (400).</summary>
    /// <param name="message">What is wrong with the body.</param>
    public RequestBodyException(string message)
        : this(message, 400)
    {
    }

    /// <summary>Creates the exception for a body whose framing is broken (400).</summary>
    /// <param name="message">What is wrong with the body.</param>
    /// <param name="innerException">What found it.</param>
    public RequestBodyException(string message, Exception innerException)
        : base(message, innerException) => StatusCode = 400;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the body.</param>
    /// <param name="statusCode">The status the server answers with.</param>
    public RequestBodyException(string message, int statusCode)
        : base(message) => StatusCode = statusCode;

    /// <summary>
    /// The status the server answers the client with: 400 when the body's framing is broken, 413 when it is larger
    /// than the server allows, 408 when it stopped arriving, 431 when its trailer section is too large.
    /// </summary>
    public int StatusCode { get; }
}
