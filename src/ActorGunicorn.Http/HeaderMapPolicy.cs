namespace ActorGunicorn.Http;

/// <summary>
/// What happens to a request header whose name contains an underscore (gunicorn's <c>header_map</c>). Such names
/// collide with dash names once mapped to WSGI's <c>HTTP_*</c> keys, so by default they are dropped.
/// </summary>
public enum HeaderMapPolicy
{
    /// <summary>Drop the header silently; it still counts against the size limits (gunicorn's <c>drop</c>, the default).</summary>
    Drop,

    /// <summary>Reject the request with <see cref="HttpRejectionReason.InvalidHeaderName"/> (<c>refuse</c>).</summary>
    Refuse,

    /// <summary>Keep the header as received (<c>dangerous</c>).</summary>
    Dangerous,
}
