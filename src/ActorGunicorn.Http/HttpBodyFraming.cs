namespace ActorGunicorn.Http;

/// <summary>How a request's body is delimited (RFC 9112 section 6).</summary>
public enum HttpBodyFraming
{
    /// <summary>No Content-Length and no Transfer-Encoding: the body is empty.</summary>
    None,

    /// <summary>Exactly <see cref="HttpRequestHead.ContentLength"/> bytes follow the head.</summary>
    ContentLength,

    /// <summary>The body is chunked, possibly followed by trailer fields.</summary>
    Chunked,
}
