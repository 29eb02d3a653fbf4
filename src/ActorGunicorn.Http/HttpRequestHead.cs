using System.Buffers;
using System.Text;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/// <summary>
/// A parsed request head: request line, header fields, the framing decision and the keep-alive decision.
/// One instance is reused per connection: it keeps its own copy of the head bytes in an arena that grows as needed,
/// so it stays valid after the caller has advanced its input buffer. Strings are made lazily, only when asked for
/// (well-known methods come from a static cache). Byte spans stay valid until the next parse call on this head.
/// </summary>
public sealed class HttpRequestHead
{
    /// <summary>Arena size a fresh head starts with: enough for typical browser requests without growing.</summary>
    private const int InitialArenaSize = 2048;

    /// <summary>An arena that grew beyond this is dropped on reset, so one huge request does not pin memory.</summary>
    private const int RetainedArenaSize = 64 * 1024;

    private byte[] _arena = new byte[InitialArenaSize];
    private int _length;
    private int _methodStart, _methodLength, _targetStart, _targetLength;
    private int _pathStart, _pathLength, _queryStart, _queryLength, _fragmentStart, _fragmentLength;
    private string? _method, _rawTarget, _path, _query, _fragment;

    /// <summary>Creates an empty head.</summary>
    public HttpRequestHead()
    {
        Headers = new HttpHeaderFields(this);
        Trailers = new HttpHeaderFields(this);
    }

    /// <summary>The method (upper-cased when <see cref="HttpParserOptions.CasefoldHttpMethod"/> is set).</summary>
    public string Method => _method ??= Encoding.Latin1.GetString(MethodBytes);

    /// <summary>The method bytes.</summary>
    public ReadOnlySpan<byte> MethodBytes => Bytes(_methodStart, _methodLength);

    /// <summary>The request-target exactly as received (gunicorn's <c>uri</c>, WSGI's <c>RAW_URI</c>).</summary>
    public string RawTarget => _rawTarget ??= Latin1(RawTargetBytes);

    /// <summary>The request-target bytes.</summary>
    public ReadOnlySpan<byte> RawTargetBytes => Bytes(_targetStart, _targetLength);

    /// <summary>The path component, still percent-encoded (gunicorn's <c>split_request_uri(uri).path</c>).</summary>
    public string Path => _path ??= Latin1(PathBytes);

    /// <summary>The path bytes.</summary>
    public ReadOnlySpan<byte> PathBytes => Bytes(_pathStart, _pathLength);

    /// <summary>The query component without '?', or empty.</summary>
    public string Query => _query ??= Latin1(QueryBytes);

    /// <summary>The query bytes.</summary>
    public ReadOnlySpan<byte> QueryBytes => Bytes(_queryStart, _queryLength);

    /// <summary>The fragment component without '#', or empty.</summary>
    public string Fragment => _fragment ??= Latin1(FragmentBytes);

    /// <summary>The fragment bytes.</summary>
    public ReadOnlySpan<byte> FragmentBytes => Bytes(_fragmentStart, _fragmentLength);

    /// <summary>The major digit of <c>HTTP/d.d</c>.</summary>
    public int VersionMajor { get; internal set; }

    /// <summary>The minor digit of <c>HTTP/d.d</c>.</summary>
    public int VersionMinor { get; internal set; }

    /// <summary>True for HTTP/1.1 and later: chunked responses and 100-continue are allowed.</summary>
    public bool IsHttp11OrLater => VersionMajor > 1 || (VersionMajor == 1 && VersionMinor >= 1);

    /// <summary>The header fields that were kept (underscore names may have been dropped by the header map).</summary>
    public HttpHeaderFields Headers { get; }

    /// <summary>The trailer fields of a chunked body, filled by <see cref="HttpBodyDecoder"/>.</summary>
    public HttpHeaderFields Trailers { get; }

    /// <summary>How the body is delimited.</summary>
    public HttpBodyFraming BodyFraming { get; internal set; }

    /// <summary>The body length when <see cref="BodyFraming"/> is <see cref="HttpBodyFraming.ContentLength"/>, else 0.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>
    /// Whether the connection may carry another request after this one: gunicorn's <c>not should_close()</c>:
    /// false when <see cref="MustClose"/>; else the first <c>Connection</c> header decides (<c>close</c> /
    /// <c>keep-alive</c>); else true only for HTTP/1.1 and later.
    /// </summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>
    /// True when the request asked for <c>100-continue</c> on HTTP/1.1+: write
    /// <see cref="HttpResponseHeadWriter.WriteContinue"/> before reading the body.
    /// </summary>
    public bool ExpectsContinue { get; internal set; }

    /// <summary>
    /// <c>http</c> or <c>https</c>: the connection's default, unless a trusted peer sent a secure-scheme header.
    /// </summary>
    public string Scheme { get; internal set; } = "http";

    /// <summary>
    /// True when a content coding (gzip, deflate, compress) was applied before chunked: gunicorn accepts the request
    /// but closes the connection after it.
    /// </summary>
    public bool MustClose { get; internal set; }

    /// <summary>Forgets the previous request; the arena is kept for reuse. The parser calls this when a new head starts.</summary>
    public void Reset()
    {
        if (_arena.Length > RetainedArenaSize)
        {
            _arena = new byte[InitialArenaSize];
        }

        _length = 0;
        _methodStart = _methodLength = _targetStart = _targetLength = 0;
        _pathStart = _pathLength = _queryStart = _queryLength = _fragmentStart = _fragmentLength = 0;
        _method = _rawTarget = _path = _query = _fragment = null;
        VersionMajor = VersionMinor = 0;
        Headers.Clear();
        Trailers.Clear();
        BodyFraming = HttpBodyFraming.None;
        ContentLength = 0;
        KeepAlive = ExpectsContinue = MustClose = false;
        Scheme = "http";
    }

    /// <summary>Number of arena bytes in use.</summary>
    internal int ArenaLength => _length;

    /// <summary>The arena; re-read it after any append, which may replace it.</summary>
    internal Span<byte> Arena => _arena.AsSpan(0, _length);

    internal ReadOnlySpan<byte> Bytes(int start, int length) => _arena.AsSpan(start, length);

    /// <summary>Copies <paramref name="source"/> to the end of the arena and returns where it starts.</summary>
    internal int Append(in ReadOnlySequence<byte> source)
    {
        int start = Reserve(checked((int)source.Length));
        source.CopyTo(_arena.AsSpan(start));
        return start;
    }

    /// <summary>Grows the arena by <paramref name="count"/> bytes and returns where they start.</summary>
    internal int Reserve(int count)
    {
        int start = _length;
        int needed = checked(start + count);
        if (needed > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(needed, _arena.Length * 2));
        }

        _length = needed;
        return start;
    }

    internal void SetMethod(int start, int length, string? cached)
    {
        _methodStart = start;
        _methodLength = length;
        _method = cached;
    }

    internal void SetTarget(int start, int length)
    {
        _targetStart = start;
        _targetLength = length;
    }

    internal void SetTargetParts(int pathStart, int pathLength, int queryStart, int queryLength, int fragmentStart, int fragmentLength)
    {
        (_pathStart, _pathLength) = (pathStart, pathLength);
        (_queryStart, _queryLength) = (queryStart, queryLength);
        (_fragmentStart, _fragmentLength) = (fragmentStart, fragmentLength);
    }

    private static string Latin1(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : Encoding.Latin1.GetString(bytes);
}
