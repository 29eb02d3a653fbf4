using System.Buffers;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/*
 * HTTP/1.1 request heads, as gunicorn 26 parses them (gunicorn/http/message.py), never laxer.
 *
 * Lines
 *   - A line ends at CRLF. A bare LF or CR is not a line end: inside the request line it fails the line's shape,
 *     inside a field value it is a control and refused.
 *   - No empty lines are skipped before the request line: "\r\nGET ..." is an empty request line (gunicorn).
 *   - While no CRLF has arrived, a request line fails once (bytes buffered - 2) > limit_request_line; when it has,
 *     once its length exceeds the limit. 0 means no limit.
 *   - While the blank line ending the header section has not arrived, the bytes after the request line may not
 *     exceed limit_request_fields * (limit_request_field_size + 2) + 4 (gunicorn's max_buffer_headers).
 *
 * Request line: METHOD SP TARGET SP VERSION, split on the first two single spaces (more spaces fail the version).
 *   - Method: an RFC 9110 token; unless permit_unconventional_http_method, also 3-20 bytes with no lower case and
 *     no '#'. casefold_http_method upper-cases it afterwards.
 *   - Target: not empty; '*' only with OPTIONS; authority-form (no leading '/', no "://") only with CONNECT;
 *     visible characters only (stricter than gunicorn); split into path/query/fragment like Python's urlsplit,
 *     with "//path" kept as a path, and refused where urlsplit raises (bad brackets in the authority).
 *   - Version: exactly HTTP/d.d; major 1 unless permit_unconventional_http_version.
 *
 * Header fields, in order, each line:
 *   - At most limit_request_fields lines (dropped ones count); each at most limit_request_field_size bytes
 *     including CRLF and any continuation lines.
 *   - "name:value" with a non-empty name; the name a token (SP/HTAB before ':' only with strip_header_spaces).
 *   - A line starting with SP/HTAB continues the previous field: refused (ObsoleteFolding) unless
 *     permit_obsolete_folding, which joins the stripped parts with single spaces.
 *   - The value is stripped of SP/HTAB and may not hold controls other than HTAB (nor DEL).
 *   - A second Host or Content-Type is refused.
 *   - Expect: 100-continue (any case) flags the request on HTTP/1.1+, is ignored on HTTP/1.0; any other value fails
 *     with ExpectationFailed (417).
 *   - Only from a trusted peer: each secure_scheme_headers field sets the scheme (https if its value matches, else
 *     http); two that disagree fail with InvalidSchemeHeaders.
 *   - A name with '_' is kept if a trusted peer sends one of forwarder_headers; otherwise header_map decides:
 *     drop (default), dangerous (keep) or refuse (InvalidHeaderName).
 *
 * Framing (after all fields): a second Content-Length fails; Transfer-Encoding is a list over all its fields:
 *   chunked twice, identity or a compression after chunked fail; gzip/deflate/compress before chunked are accepted
 *   but the connection is closed afterwards; any other coding (the empty one too) fails with
 *   UnsupportedTransferCoding (501). Stricter than gunicorn, as RFC 9112 6.1 and 6.3 require: a compression not
 *   followed by chunked fails (400), and so does Transfer-Encoding of any kind on HTTP/1.0; identity alone is no
 *   coding (gunicorn). Chunked with Content-Length fails. Content-Length is decimal digits only. Neither header: the
 *   body is empty.
 *
 * Keep-alive: closed when a compression was accepted; else the first Connection field decides (close /
 *   keep-alive); else kept for HTTP/1.1 and later.
 */

/// <summary>
/// Parses request heads from a connection's input, incrementally and without I/O. One instance per connection,
/// reused for each request. Feed it the unconsumed input each time more bytes arrive: an incomplete head consumes
/// nothing, and the parser remembers how far it has looked, so a client sending one byte at a time costs linear work.
/// </summary>
public sealed class HttpRequestParser
{
    private readonly ParserRules _rules;
    private bool _peerIsTrusted;
    private string _defaultScheme;
    private bool _inProgress;
    private bool _requestLineDone;
    private long _searchFrom;
    private int _headerStart;

    /// <summary>Creates a parser for connections of a listener configured by <paramref name="options"/>.</summary>
    /// <param name="options">The parsing settings.</param>
    /// <param name="peerIsTrustedForwarder">
    /// Whether the peer may set secure-scheme and forwarder headers: true when its address is in
    /// <c>forwarded_allow_ips</c> (<see cref="IpAllowList.Contains"/>) or it is a Unix-socket peer.
    /// </param>
    /// <param name="defaultScheme"><c>https</c> on a TLS listener, else <c>http</c>.</param>
    public HttpRequestParser(HttpParserOptions options, bool peerIsTrustedForwarder = false, string defaultScheme = "http")
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = options.Rules;
        _peerIsTrusted = peerIsTrustedForwarder;
        _defaultScheme = defaultScheme;
    }

    /// <summary>Bytes looked at by searches and field parsing since creation (lets tests prove the work is linear).</summary>
    internal long BytesScanned { get; private set; }

    /// <summary>Prepares the parser for a new connection, forgetting any partly parsed head.</summary>
    public void Reset(bool peerIsTrustedForwarder, string defaultScheme)
    {
        _peerIsTrusted = peerIsTrustedForwarder;
        _defaultScheme = defaultScheme;
        _inProgress = false;
    }

    /// <summary>
    /// Tries to parse one request head from the start of <paramref name="buffer"/> into <paramref name="head"/>.
    /// </summary>
    /// <param name="buffer">
    /// The connection's unconsumed input. After <see cref="HttpParseStatus.Incomplete"/>, call again with the same
    /// bytes plus whatever arrived since, and the same <paramref name="head"/>.
    /// </param>
    /// <param name="head">Receives the request; reset when a new head starts.</param>
    /// <param name="consumed">Where the head ends on Complete; the buffer start otherwise.</param>
    /// <param name="examined">How far the input was looked at (the end when more bytes are needed).</param>
    /// <param name="rejection">Why the input was refused, on <see cref="HttpParseStatus.Rejected"/>.</param>
    public HttpParseStatus TryParseHead(
        in ReadOnlySequence<byte> buffer, HttpRequestHead head,
        out SequencePosition consumed, out SequencePosition examined, out HttpRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(head);
        consumed = buffer.Start;
        examined = buffer.End;
        if (!_inProgress)
        {
            head.Reset();
            head.Scheme = _defaultScheme;
            _inProgress = true;
            _requestLineDone = false;
            _searchFrom = 0;
        }

        rejection = _requestLineDone ? null : ParseRequestLine(buffer, head);
        if (rejection is null && !_requestLineDone)
        {
            return HttpParseStatus.Incomplete;
        }

        if (rejection is null)
        {
            long scanned = 0;
            long blankLine = SequenceSearch.IndexOf(buffer, _searchFrom, "\r\n\r\n"u8, ref scanned);
            BytesScanned += scanned;
            if (blankLine < 0)
            {
                if (buffer.Length - _headerStart > _rules.MaxHeaderSectionBytes)
                {
                    rejection = Rejections.SectionTooLarge();
                }
                else
                {
                    _searchFrom = Math.Max(_searchFrom, buffer.Length - 3);
                    return HttpParseStatus.Incomplete;
                }
            }
            else
            {
                rejection = ParseFields(buffer, head, (int)blankLine);
                if (rejection is null)
                {
                    _inProgress = false;
                    consumed = examined = buffer.GetPosition(blankLine + 4);
                    return HttpParseStatus.Complete;
                }
            }
        }

        _inProgress = false;
        return HttpParseStatus.Rejected;
    }

    private HttpRejection? ParseRequestLine(in ReadOnlySequence<byte> buffer, HttpRequestHead head)
    {
        long scanned = 0;
        long lineEnd = SequenceSearch.IndexOf(buffer, _searchFrom, "\r\n"u8, ref scanned);
        BytesScanned += scanned;
        int limit = _rules.LimitRequestLine;
        if (lineEnd < 0)
        {
            // gunicorn's read_line: with no CRLF yet, refuse once len(data) - 2 > limit.
            if (limit > 0 && buffer.Length - 2 > limit)
            {
                return Rejections.LineTooLong(buffer.Length, limit);
            }

            _searchFrom = Math.Max(0, buffer.Length - 1);
            return null;
        }

        if ((limit > 0 && lineEnd > limit) || lineEnd > int.MaxValue / 2)
        {
            return Rejections.LineTooLong(lineEnd, limit);
        }

        head.Append(buffer.Slice(0, lineEnd + 2));
        HttpRejection? rejection = RequestLineParser.Parse(head, _rules, (int)lineEnd);
        _requestLineDone = rejection is null;
        _headerStart = (int)lineEnd + 2;

        // Searching for CRLFCRLF from the request line's own CRLF also finds an empty header section.
        _searchFrom = lineEnd;
        return rejection;
    }

    private HttpRejection? ParseFields(in ReadOnlySequence<byte> buffer, HttpRequestHead head, int blankLine)
    {
        int sectionEnd = blankLine + 2;
        if (sectionEnd > _headerStart)
        {
            head.Append(buffer.Slice(_headerStart, sectionEnd - _headerStart));
        }

        long scanned = 0;
        HttpRejection? rejection = FieldSectionParser.Parse(
            head, head.Headers, _rules, _headerStart, Math.Max(_headerStart, sectionEnd),
            fromTrailer: false, _peerIsTrusted, ref scanned);
        BytesScanned += scanned;
        return rejection ?? FramingRules.Apply(head) ?? CheckBodyLimit(head);
    }

    private HttpRejection? CheckBodyLimit(HttpRequestHead head) =>
        _rules.Options.LimitRequestBody > 0 && head.BodyFraming == HttpBodyFraming.ContentLength && head.ContentLength > _rules.Options.LimitRequestBody
            ? Rejections.BodyTooLarge(head.ContentLength, _rules.Options.LimitRequestBody)
            : null;
}
