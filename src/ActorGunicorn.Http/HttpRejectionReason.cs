namespace ActorGunicorn.Http;

/// <summary>
/// Every way a connection's input can be refused. Each member is named after the gunicorn exception class
/// (gunicorn/http/errors.py) raised for the same input, so gunicorn's test corpus maps one to one.
/// </summary>
public enum HttpRejectionReason
{
    /// <summary>The request line is not three parts on single spaces, or its target is refused.</summary>
    InvalidRequestLine,

    /// <summary>The method is not a token, or breaks the conventional-method rule.</summary>
    InvalidRequestMethod,

    /// <summary>The version is not <c>HTTP/d.d</c>, or is outside 1.0-1.1.</summary>
    InvalidHTTPVersion,

    /// <summary>
    /// A header or trailer line or value is malformed (a bare CR or LF in the trailer section too), or the framing
    /// headers are ambiguous or cannot delimit the body.
    /// </summary>
    InvalidHeader,

    /// <summary>A field name is not a token, is a forbidden trailer, or is refused by the header map.</summary>
    InvalidHeaderName,

    /// <summary>An obs-fold continuation line while folding is not permitted.</summary>
    ObsoleteFolding,

    /// <summary>The request line is longer than <see cref="HttpParserOptions.LimitRequestLine"/>.</summary>
    LimitRequestLine,

    /// <summary>Too many header fields, a field too large, or a header section too large.</summary>
    LimitRequestHeaders,

    /// <summary>A transfer coding other than chunked, identity, gzip, deflate or compress.</summary>
    UnsupportedTransferCoding,

    /// <summary>An <c>Expect</c> header other than <c>100-continue</c>.</summary>
    ExpectationFailed,

    /// <summary>A malformed PROXY protocol v1 line.</summary>
    InvalidProxyLine,

    /// <summary>A malformed PROXY protocol v2 header.</summary>
    InvalidProxyHeader,

    /// <summary>A PROXY header from a peer outside <c>proxy_allow_ips</c>.</summary>
    ForbiddenProxyRequest,

    /// <summary>Two secure-scheme headers that disagree.</summary>
    InvalidSchemeHeaders,

    /// <summary>A chunk size that is not 1*HEXDIG or exceeds 2^63-1, or a chunk line broken before any ';'.</summary>
    InvalidChunkSize,

    /// <summary>Chunk data not followed by CRLF, or a chunked body cut off before its final CRLF.</summary>
    ChunkMissingTerminator,

    /// <summary>
    /// Chunk extensions outside RFC 9112 7.1.1's grammar (a bare CR or LF, a control, a missing name, stray
    /// whitespace), or more of them in one body than <see cref="HttpBodyDecoder.MaxChunkExtensionBytes"/>.
    /// </summary>
    InvalidChunkExtension,

    /// <summary>The peer closed the connection before the request was complete.</summary>
    NoMoreData,

    /// <summary>
    /// The client was too slow: the server's header or body read timeout passed (an ActorGunicorn addition; 408).
    /// Not a parse outcome: the server reports it with the same error page.
    /// </summary>
    RequestTimeout,

    /// <summary>The body is larger than <c>limit_request_body</c> allows (an ActorGunicorn addition; 413).</summary>
    LimitRequestBody,
}
