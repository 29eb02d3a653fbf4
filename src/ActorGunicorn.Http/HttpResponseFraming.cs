namespace ActorGunicorn.Http;

/// <summary>
/// Decides a response's body framing and whether the connection survives it: gunicorn 26's <c>wsgi.Response</c>
/// (<c>is_chunked</c>, <c>should_close</c>, <c>_response_omits_body</c>, <c>_response_forbids_content_length</c>).
/// </summary>
public static class HttpResponseFraming
{
    /// <summary>Applies the rules.</summary>
    /// <param name="requestIsHttp11OrLater">The request's version is above 1.0 (see <see cref="HttpRequestHead.IsHttp11OrLater"/>).</param>
    /// <param name="isHeadRequest">The request method is HEAD.</param>
    /// <param name="statusCode">The response status.</param>
    /// <param name="contentLength">The application's Content-Length, if it gave one.</param>
    /// <param name="requestKeepAlive">The request allows reuse (<see cref="HttpRequestHead.KeepAlive"/>).</param>
    /// <param name="serverWantsClose">The server will close anyway (shutting down, max requests, keep-alive off).</param>
    public static HttpResponseFramingDecision Decide(
        bool requestIsHttp11OrLater, bool isHeadRequest, int statusCode, long? contentLength,
        bool requestKeepAlive, bool serverWantsClose)
    {
        bool omitsBody = OmitsBody(isHeadRequest, statusCode);

        // RFC 9110 8.6: no Content-Length on 1xx or 204; HEAD and 304 may announce the length of the full response.
        if (statusCode is >= 100 and < 200 or 204)
        {
            contentLength = null;
        }

        HttpResponseBodyFraming framing =
            omitsBody ? HttpResponseBodyFraming.NoBody
            : contentLength is not null ? HttpResponseBodyFraming.ContentLength
            : requestIsHttp11OrLater ? HttpResponseBodyFraming.Chunked
            : HttpResponseBodyFraming.CloseDelimited;

        bool keepAlive = !serverWantsClose && requestKeepAlive && framing != HttpResponseBodyFraming.CloseDelimited;
        return new HttpResponseFramingDecision(framing, contentLength, keepAlive);
    }

    /// <summary>
    /// Whether the response carries no body whatever the application writes (RFC 9110 6.4.1: HEAD, 1xx, 204, 304).
    /// Its length is then only what the application announced, never the bytes it wrote: a 304's Content-Length may
    /// only be the length the 200 would have had (RFC 9110 8.6, 15.4.5), so without one from the application none
    /// is sent.
    /// </summary>
    /// <param name="isHeadRequest">The request method is HEAD.</param>
    /// <param name="statusCode">The response status.</param>
    public static bool OmitsBody(bool isHeadRequest, int statusCode) =>
        isHeadRequest || statusCode is >= 100 and < 200 or 204 or 304;
}
