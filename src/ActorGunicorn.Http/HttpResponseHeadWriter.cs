using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/*
 * Response heads, after gunicorn's wsgi.Response:
 *   HTTP/1.1 <status> <reason>\r\n
 *   Server: <name>\r\n                      (gunicorn writes "Server: gunicorn")
 *   Date: <IMF-fixdate>\r\n
 *   Connection: keep-alive | close | upgrade\r\n   (upgrade when the application sent "Connection: upgrade")
 *   <application headers>\r\n ...          (validated, hop-by-hop ones dropped, values stripped of SP/HTAB)
 *   Content-Length: <n>\r\n | Transfer-Encoding: chunked\r\n   (from HttpResponseFraming)
 *   \r\n
 * Hop-by-hop names dropped as gunicorn's util.is_hoppish: connection, keep-alive, proxy-authenticate,
 * proxy-authorization, te, trailers, transfer-encoding, upgrade, server, date; except that "Upgrade: websocket"
 * passes. The application's Content-Length is read for the framing decision and written by the framing.
 * Nothing is written when a header is invalid, so the caller can answer 500 instead.
 */

/// <summary>Writes response heads into an <see cref="IBufferWriter{T}"/> without allocating.</summary>
public sealed class HttpResponseHeadWriter
{
    private readonly byte[] _serverLine;

    /// <summary>Creates a writer announcing <paramref name="serverName"/> in the Server header.</summary>
    public HttpResponseHeadWriter(string serverName = "gunicorn")
    {
        ArgumentNullException.ThrowIfNull(serverName);
        if (serverName.AsSpan().IndexOfAnyExcept(HttpCharacters.ResponseValueAllowed) >= 0)
        {
            throw new ArgumentException("The server name must be a valid header value.", nameof(serverName));
        }

        _serverLine = Encoding.Latin1.GetBytes("Server: " + serverName + "\r\n");
    }

    /// <summary>Writes <c>HTTP/1.1 100 Continue\r\n\r\n</c>, the interim answer to <c>Expect: 100-continue</c>.</summary>
    public static void WriteContinue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
    }

    /// <summary>Validates the application's status and headers, decides the framing, and writes the head.</summary>
    /// <param name="output">Where the head goes.</param>
    /// <param name="statusCode">The status, 100-999.</param>
    /// <param name="reasonPhrase">The reason phrase, or null for the standard one.</param>
    /// <param name="headers">The application's headers.</param>
    /// <param name="context">Facts about the request and the server.</param>
    /// <param name="date">The Date value, from <see cref="HttpDate.GetBytes"/>.</param>
    /// <param name="framing">How to send the body and whether the connection stays open.</param>
    /// <param name="invalidHeaderIndex">The offending header's index when a header is refused, else -1.</param>
    /// <returns><see cref="HttpResponseHeadError.None"/> when written; otherwise nothing was written.</returns>
    public HttpResponseHeadError TryWrite(
        IBufferWriter<byte> output, int statusCode, string? reasonPhrase, ReadOnlySpan<HttpResponseHeader> headers,
        in HttpResponseContext context, ReadOnlySpan<byte> date,
        out HttpResponseFramingDecision framing, out int invalidHeaderIndex)
    {
        ArgumentNullException.ThrowIfNull(output);
        framing = default;
        invalidHeaderIndex = -1;
        string reason = reasonPhrase ?? HttpReasonPhrases.Get(statusCode);
        if (statusCode is < 100 or > 999 || reason.AsSpan().IndexOfAnyExcept(HttpCharacters.ResponseValueAllowed) >= 0)
        {
            return HttpResponseHeadError.InvalidStatus;
        }

        long? contentLength = null;
        bool upgrade = false;
        int headerBytes = 0;
        for (int i = 0; i < headers.Length; i++)
        {
            HttpResponseHeadError error = Inspect(headers[i], ref contentLength, ref upgrade, ref headerBytes);
            if (error != HttpResponseHeadError.None)
            {
                invalidHeaderIndex = i;
                return error;
            }
        }

        framing = HttpResponseFraming.Decide(
            context.RequestIsHttp11OrLater, context.IsHeadRequest, statusCode, contentLength,
            context.RequestKeepAlive, context.ServerWantsClose);
        ReadOnlySpan<byte> connection = upgrade ? "Connection: upgrade\r\n"u8
            : framing.KeepAlive ? "Connection: keep-alive\r\n"u8
            : "Connection: close\r\n"u8;

        int total = "HTTP/1.1 000 \r\n".Length + reason.Length + _serverLine.Length + "Date: \r\n".Length + date.Length
            + connection.Length + headerBytes + FramingLineLength(framing) + 2;
        Span<byte> span = output.GetSpan(total);
        int at = Put(span, 0, "HTTP/1.1 "u8);
        Utf8Formatter.TryFormat(statusCode, span[at..], out int digits);
        at += digits;
        span[at++] = (byte)' ';
        at += Encoding.Latin1.GetBytes(reason, span[at..]);
        at = Put(span, at, "\r\n"u8);
        at = Put(span, at, _serverLine);
        at = Put(span, at, "Date: "u8);
        at = Put(span, at, date);
        at = Put(span, at, "\r\n"u8);
        at = Put(span, at, connection);
        foreach (HttpResponseHeader header in headers)
        {
            if (IsWritten(header))
            {
                at += Encoding.Latin1.GetBytes(header.Name, span[at..]);
                at = Put(span, at, ": "u8);
                at += Encoding.Latin1.GetBytes(header.Value.AsSpan().Trim(" \t"), span[at..]);
                at = Put(span, at, "\r\n"u8);
            }
        }

        if (framing.ContentLength is long length)
        {
            at = Put(span, at, "Content-Length: "u8);
            Utf8Formatter.TryFormat(length, span[at..], out int written);
            at = Put(span, at + written, "\r\n"u8);
        }
        else if (framing.Framing == HttpResponseBodyFraming.Chunked)
        {
            at = Put(span, at, "Transfer-Encoding: chunked\r\n"u8);
        }

        at = Put(span, at, "\r\n"u8);
        output.Advance(at);
        return HttpResponseHeadError.None;
    }

    private static HttpResponseHeadError Inspect(in HttpResponseHeader header, ref long? contentLength, ref bool upgrade, ref int headerBytes)
    {
        if (header.Name is null || !HttpCharacters.IsToken(header.Name.AsSpan()))
        {
            return HttpResponseHeadError.InvalidHeaderName;
        }

        if (header.Value is null || header.Value.AsSpan().IndexOfAnyExcept(HttpCharacters.ResponseValueAllowed) >= 0)
        {
            return HttpResponseHeadError.InvalidHeaderValue;
        }

        ReadOnlySpan<char> value = header.Value.AsSpan().Trim(" \t");
        if (header.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseDecimal(value, out long length) || (contentLength is not null && contentLength != length))
            {
                return HttpResponseHeadError.InvalidContentLength;
            }

            contentLength = length;
            return HttpResponseHeadError.None;
        }

        if (header.Name.Equals("connection", StringComparison.OrdinalIgnoreCase))
        {
            upgrade |= value.Equals("upgrade", StringComparison.OrdinalIgnoreCase);
        }

        if (IsWritten(header))
        {
            headerBytes += header.Name.Length + 2 + value.Length + 2;
        }

        return HttpResponseHeadError.None;
    }

    private static bool TryParseDecimal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (char digit in digits)
        {
            if (digit is < '0' or > '9' || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = value * 10 + (digit - '0');
        }

        return true;
    }

    private static bool IsWritten(in HttpResponseHeader header)
    {
        string name = header.Name;
        if (name.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
        {
            return header.Value.AsSpan().Trim(" \t").Equals("websocket", StringComparison.OrdinalIgnoreCase);
        }

        return !name.Equals("content-length", StringComparison.OrdinalIgnoreCase) && !IsHopByHop(name);
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-authenticate", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("trailers", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("server", StringComparison.OrdinalIgnoreCase)
        || name.Equals("date", StringComparison.OrdinalIgnoreCase);

    private static int FramingLineLength(in HttpResponseFramingDecision framing) =>
        framing.ContentLength is not null ? "Content-Length: \r\n".Length + 20
        : framing.Framing == HttpResponseBodyFraming.Chunked ? "Transfer-Encoding: chunked\r\n".Length
        : 0;

    private static int Put(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }
}
