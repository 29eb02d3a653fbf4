namespace ActorGunicorn.Http;

/// <summary>The facts about the request and the server that shape a response head.</summary>
/// <param name="RequestIsHttp11OrLater">The request's version is above 1.0.</param>
/// <param name="IsHeadRequest">The request method is HEAD.</param>
/// <param name="RequestKeepAlive">The request allows the connection to be reused.</param>
/// <param name="ServerWantsClose">The server closes the connection after this response regardless.</param>
public readonly record struct HttpResponseContext(bool RequestIsHttp11OrLater, bool IsHeadRequest, bool RequestKeepAlive, bool ServerWantsClose)
{
    /// <summary>The context for answering <paramref name="request"/>.</summary>
    public static HttpResponseContext For(HttpRequestHead request, bool serverWantsClose)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new HttpResponseContext(
            request.IsHttp11OrLater, request.MethodBytes.SequenceEqual("HEAD"u8), request.KeepAlive, serverWantsClose);
    }
}
