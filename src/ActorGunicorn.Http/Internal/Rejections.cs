using System.Globalization;

namespace ActorGunicorn.Http.Internal;

/// <summary>Builds each rejection with the detail text gunicorn's exception class prints (gunicorn/http/errors.py).</summary>
internal static class Rejections
{
    public static HttpRejection RequestLine(ReadOnlySpan<byte> line) =>
        new(HttpRejectionReason.InvalidRequestLine, "Invalid HTTP request line: " + PythonRepr.Str(line));

    public static HttpRejection Method(ReadOnlySpan<byte> method) =>
        new(HttpRejectionReason.InvalidRequestMethod, "Invalid HTTP method: " + PythonRepr.Str(method));

    public static HttpRejection Version(ReadOnlySpan<byte> version) =>
        new(HttpRejectionReason.InvalidHTTPVersion, "Invalid HTTP Version: " + PythonRepr.Str(version));

    public static HttpRejection VersionOutOfRange(int major, int minor) =>
        new(HttpRejectionReason.InvalidHTTPVersion, string.Create(CultureInfo.InvariantCulture, $"Invalid HTTP Version: ({major}, {minor})"));

    public static HttpRejection Header(ReadOnlySpan<byte> what) =>
        new(HttpRejectionReason.InvalidHeader, "Invalid HTTP Header: " + PythonRepr.Str(what));

    public static HttpRejection HeaderName(ReadOnlySpan<byte> name) =>
        new(HttpRejectionReason.InvalidHeaderName, "Invalid HTTP header name: " + PythonRepr.Str(name));

    public static HttpRejection Folding(ReadOnlySpan<byte> name) =>
        new(HttpRejectionReason.ObsoleteFolding, "Obsolete line folding is unacceptable: " + PythonRepr.Str(name));

    public static HttpRejection LineTooLong(long size, int limit) =>
        new(HttpRejectionReason.LimitRequestLine, string.Create(CultureInfo.InvariantCulture, $"Request Line is too large ({size} > {limit})"));

    public static HttpRejection TooManyFields() =>
        new(HttpRejectionReason.LimitRequestHeaders, "limit request headers fields");

    public static HttpRejection FieldTooLarge() =>
        new(HttpRejectionReason.LimitRequestHeaders, "limit request headers fields size");

    public static HttpRejection SectionTooLarge() =>
        new(HttpRejectionReason.LimitRequestHeaders, "max buffer headers");

    public static HttpRejection TransferCoding(ReadOnlySpan<byte> value) =>
        new(HttpRejectionReason.UnsupportedTransferCoding, "Unsupported transfer coding: " + PythonRepr.Str(value));

    public static HttpRejection Expectation(ReadOnlySpan<byte> value) =>
        new(HttpRejectionReason.ExpectationFailed, "Unable to comply with expectation: " + PythonRepr.Str(value));

    public static HttpRejection SchemeHeaders() =>
        new(HttpRejectionReason.InvalidSchemeHeaders, "Contradictory scheme headers");

    public static HttpRejection ChunkSize(ReadOnlySpan<byte> size) =>
        new(HttpRejectionReason.InvalidChunkSize, "Invalid chunk size: " + PythonRepr.Bytes(size));

    public static HttpRejection ChunkTerminator(ReadOnlySpan<byte> found) =>
        new(HttpRejectionReason.ChunkMissingTerminator, "Invalid chunk terminator is not '\\r\\n': " + PythonRepr.Bytes(found));

    public static HttpRejection ChunkExtension(string reason) =>
        new(HttpRejectionReason.InvalidChunkExtension, "Invalid chunk extension: " + reason);

    public static HttpRejection ProxyLine(ReadOnlySpan<byte> line) =>
        new(HttpRejectionReason.InvalidProxyLine, "Invalid PROXY line: " + PythonRepr.Str(line));

    public static HttpRejection ProxyLine(string message) =>
        new(HttpRejectionReason.InvalidProxyLine, "Invalid PROXY line: " + PythonRepr.Str(System.Text.Encoding.Latin1.GetBytes(message)));

    public static HttpRejection ProxyHeader(string message) =>
        new(HttpRejectionReason.InvalidProxyHeader, "Invalid PROXY header: " + message);

    public static HttpRejection ProxyForbidden() =>
        new(HttpRejectionReason.ForbiddenProxyRequest, "Proxy request not allowed from this peer");

    public static HttpRejection BodyTooLarge(long size, long limit) =>
        new(HttpRejectionReason.LimitRequestBody, string.Create(CultureInfo.InvariantCulture, $"Request body of at least {size} bytes exceeds the limit of {limit}"));

    public static HttpRejection NoMoreData(long buffered) =>
        new(HttpRejectionReason.NoMoreData, string.Create(CultureInfo.InvariantCulture, $"No more data after {buffered} bytes"));
}
