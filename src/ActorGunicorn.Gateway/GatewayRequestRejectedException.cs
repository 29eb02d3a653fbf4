namespace ActorGunicorn.Gateway;

/// <summary>
/// Thrown by an application before its response has started, to refuse a request the way the server refuses one it
/// cannot accept: one warning line in the error log (<c>Invalid request from ip=ADDRESS: MESSAGE</c>), the server's
/// error page with <see cref="StatusCode"/> and the message, and <c>Connection: close</c>. Thrown once the response
/// has started, it is an ordinary application error (the connection is cut).
/// </summary>
/// <remarks>
/// The WSGI gateway throws it for a request whose path lies outside SCRIPT_NAME, as gunicorn answers with its
/// <c>ConfigurationProblem</c> error page.
/// </remarks>
public sealed class GatewayRequestRejectedException : Exception
{
    /// <summary>Refuses the request with <paramref name="statusCode"/>; <paramref name="message"/> goes on the page and in the log.</summary>
    /// <param name="statusCode">The status of the error page, 400-599.</param>
    /// <param name="message">What was wrong, in one line.</param>
    public GatewayRequestRejectedException(int statusCode, string message)
        : base(message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        StatusCode = statusCode;
    }

    /// <summary>Refuses the request with 400 Bad Request.</summary>
    /// <param name="message">What was wrong, in one line.</param>
    public GatewayRequestRejectedException(string message)
        : this(400, message)
    {
    }

    /// <summary>Refuses the request with 400 Bad Request, saying nothing more.</summary>
    public GatewayRequestRejectedException()
        : this(400, "Bad Request")
    {
    }

    /// <summary>Refuses the request with 400 Bad Request, keeping the error that led to it.</summary>
    /// <param name="message">What was wrong, in one line.</param>
    /// <param name="innerException">The error that led to the refusal.</param>
    public GatewayRequestRejectedException(string message, Exception innerException)
        : base(message, innerException) => StatusCode = 400;

    /// <summary>The status of the error page.</summary>
    public int StatusCode { get; }
}
