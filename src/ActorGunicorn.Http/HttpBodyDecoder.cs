using System.Buffers;
using System.Globalization;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/*
 * Request bodies (gunicorn/http/body.py: LengthReader, ChunkedReader), never laxer than gunicorn.
 *
 * Content-Length: exactly that many bytes. No framing: an empty body.
 * Chunked (RFC 9112 7.1), every line ended by CRLF only: a bare LF, which some front ends take for a line end, and
 * a bare CR are refused (RFC 9112 2.2 allows a bare LF in the head only; gunicorn ends chunk lines at CRLF only,
 * and nginx stopped taking a bare LF in chunks in 2025):
 *   - chunk-size: 1*HEXDIG (either case, leading zeros fine), no sign, no "0x", no whitespace before it; a size
 *     beyond 2^63-1 is refused. SP/HTAB may follow the size only before ";" (BWS). Otherwise InvalidChunkSize.
 *   - chunk-ext (7.1.1): *( BWS ";" BWS name [ BWS "=" BWS value ] ), the name a token, the value a token or a
 *     quoted-string (RFC 9110 5.6.4: qdtext or quoted-pair, no controls but HTAB, no DEL). Nothing else may follow,
 *     not even whitespace before the CRLF. The extensions are then ignored. Anything else is InvalidChunkExtension:
 *     gunicorn refuses only a bare CR there, and accepts the bare LF of the "funky chunks" smuggling research.
 *   - A chunk line is refused at the first byte the grammar cannot continue with, without waiting for its CRLF.
 *   - exactly CRLF after each chunk's data (ChunkMissingTerminator).
 *   - after the 0-size chunk: the trailer section, its lines ended by CRLF only (a bare CR or LF is InvalidHeader
 *     as soon as it arrives), parsed with the header rules; Host, Content-Length, Transfer-Encoding, Trailer,
 *     Authorization and TE are refused as trailers (InvalidHeaderName).
 *   - end of input before the final CRLF of the trailer section, or right after a chunk's data, is
 *     ChunkMissingTerminator; elsewhere inside a chunked body it is NoMoreData.
 * End of input inside a Content-Length body is not an error in gunicorn: LengthReader hands the application what
 * arrived (valid/099 of the corpus announces 17914 bytes and sends 8599). The decoder does the same and says so in
 * IsTruncated.
 * Limits gunicorn lacks, so that a peer cannot make the decoder buffer or work without bound: a chunk line longer
 * than 8190 bytes (DEFAULT_MAX_HEADERFIELD_SIZE) before its CRLF, chunk extensions of more than 16 KiB in one body
 * (RFC 9112 7.1.1 asks for a limit; llhttp and hyper use this one), and a trailer section larger than the
 * header-section bound are refused.
 */

/// <summary>
/// Decodes one request body at a time from the connection's input, pull-style and without I/O. Reset it with each
/// request head, then call <see cref="Decode"/> with the unconsumed input until it says Complete (or Rejected).
/// Payload slices point into the caller's buffer: use them before advancing past <c>consumed</c>.
/// </summary>
public sealed class HttpBodyDecoder
{
    /// <summary>The longest chunk-size line (size and extensions, without its CRLF) accepted.</summary>
    public const int MaxChunkSizeLineLength = HttpParserOptions.DefaultMaxHeaderFieldSize;

    /// <summary>
    /// The most bytes of chunk extensions (everything on the chunk lines after the sizes) one body may carry:
    /// RFC 9112 7.1.1 asks a server to limit them; 16 KiB is llhttp's and hyper's limit. It stops a client from
    /// making the server read kilobytes of ignored framing for every byte of body.
    /// </summary>
    public const int MaxChunkExtensionBytes = 16 * 1024;

    private readonly ParserRules _rules;
    private HttpRequestHead? _head;
    private State _state = State.Done;
    private long _remaining;
    private long _chunkedTotal;
    private int _maxPayloadSliceLength = int.MaxValue;
    private HttpRejection? _rejection;

    // The chunk line being read: how much of it has been checked, and where the grammar stands. The line is not
    // consumed until its CRLF, so each call goes on from where the last one stopped.
    private int _lineScanned;
    private LineState _lineState;
    private bool _lineInExtension;
    private long _chunkSize;
    private int _extensionBytes;

    // The trailer section being read: bytes checked, where the current line starts, and whether a CR ended them.
    private long _trailerScanned;
    private long _trailerLineStart;
    private bool _trailerAfterCr;

    /// <summary>Creates a decoder that parses trailers with the rules of <paramref name="options"/>.</summary>
    public HttpBodyDecoder(HttpParserOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = options.Rules;
    }

    private enum State
    {
        Done,
        Length,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Failed,
    }

    /// <summary>Where a chunk line stands in RFC 9112 7.1's grammar: each state names what may come next.</summary>
    private enum LineState : byte
    {
        /// <summary>The byte cannot follow: the line is refused.</summary>
        Invalid,

        /// <summary>Nothing yet: a hex digit.</summary>
        SizeStart,

        /// <summary>In the size: a hex digit, BWS, ';' or the CR.</summary>
        Size,

        /// <summary>BWS after the size: more of it, or ';'.</summary>
        SizeSpace,

        /// <summary>After ';': BWS or the first character of a name.</summary>
        NameStart,

        /// <summary>In a name: a tchar, BWS, '=', ';' or the CR.</summary>
        Name,

        /// <summary>BWS after a name: more of it, '=' or ';'.</summary>
        NameSpace,

        /// <summary>After '=': BWS, a tchar or DQUOTE.</summary>
        ValueStart,

        /// <summary>In a token value: a tchar, BWS, ';' or the CR.</summary>
        Token,

        /// <summary>In a quoted-string: qdtext, a backslash or the closing DQUOTE.</summary>
        Quoted,

        /// <summary>After a backslash in a quoted-string: HTAB, SP, VCHAR or obs-text.</summary>
        QuotedPair,

        /// <summary>After the closing DQUOTE: BWS, ';' or the CR.</summary>
        QuotedEnd,

        /// <summary>BWS after a value: more of it, or ';'.</summary>
        ValueSpace,

        /// <summary>After the CR: the LF.</summary>
        LineFeed,
    }

    /// <summary>The largest payload slice one <see cref="Decode"/> call returns (default: unlimited).</summary>
    public int MaxPayloadSliceLength
    {
        get => _maxPayloadSliceLength;
        set => _maxPayloadSliceLength = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>True once the whole body, trailers included, has been decoded.</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>True when end of input cut a Content-Length body short and it was ended there (see <see cref="OnEndOfInput"/>).</summary>
    public bool IsTruncated { get; private set; }

    /// <summary>Bytes looked at by framing-line searches since creation (lets tests prove the work is linear).</summary>
    internal long BytesScanned { get; private set; }

    /// <summary>Starts decoding the body announced by <paramref name="head"/>; trailers will be added to its <see cref="HttpRequestHead.Trailers"/>.</summary>
    public void Reset(HttpRequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        _head = head;
        _rejection = null;
        _chunkedTotal = 0;
        _extensionBytes = 0;
        StartChunkLine();
        IsTruncated = false;
        (_state, _remaining) = head.BodyFraming switch
        {
            HttpBodyFraming.ContentLength when head.ContentLength > 0 => (State.Length, head.ContentLength),
            HttpBodyFraming.Chunked => (State.ChunkSize, 0L),
            _ => (State.Done, 0L),
        };
    }

    /// <summary>Decodes as far as <paramref name="buffer"/> allows.</summary>
    /// <param name="buffer">The connection's unconsumed input, starting where the previous call's <paramref name="consumed"/> pointed.</param>
    /// <param name="payload">On <see cref="HttpBodyStatus.Data"/>, body bytes (a slice of <paramref name="buffer"/>).</param>
    /// <param name="consumed">Where the caller must advance to (framing and payload handed out are consumed).</param>
    /// <param name="examined">How far the input was looked at.</param>
    /// <param name="rejection">Why the body was refused, on <see cref="HttpBodyStatus.Rejected"/>.</param>
    public HttpBodyStatus Decode(
        in ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload,
        out SequencePosition consumed, out SequencePosition examined, out HttpRejection? rejection)
    {
        payload = default;
        rejection = null;
        long position = 0;
        Span<byte> terminator = stackalloc byte[2];
        while (true)
        {
            long available = buffer.Length - position;
            switch (_state)
            {
                case State.Done:
                    consumed = examined = buffer.GetPosition(position);
                    return HttpBodyStatus.Complete;

                case State.Length:
                case State.ChunkData:
                    if (available == 0)
                    {
                        return NeedMore(buffer, position, out consumed, out examined);
                    }

                    long take = Math.Min(Math.Min(available, _remaining), _maxPayloadSliceLength);
                    payload = buffer.Slice(position, take);
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.Length ? State.Done : State.ChunkDataEnd;
                    }

                    consumed = examined = buffer.GetPosition(position + take);
                    return HttpBodyStatus.Data;

                case State.ChunkDataEnd:
                    if (available == 0)
                    {
                        return NeedMore(buffer, position, out consumed, out examined);
                    }

                    // Refuse as soon as a wrong byte shows: the answer could not change with more input.
                    int have = (int)Math.Min(2, available);
                    buffer.Slice(position, have).CopyTo(terminator);
                    if (terminator[0] != (byte)'\r' || (have == 2 && terminator[1] != (byte)'\n'))
                    {
                        rejection = Fail(Rejections.ChunkTerminator(terminator[..have]));
                        break;
                    }

                    if (have < 2)
                    {
                        return NeedMore(buffer, position, out consumed, out examined);
                    }

                    position += 2;
                    _state = State.ChunkSize;
                    StartChunkLine();
                    continue;

                case State.ChunkSize:
                    if (!TryReadChunkSize(buffer, ref position, out rejection))
                    {
                        if (rejection is not null)
                        {
                            break;
                        }

                        return NeedMore(buffer, position, out consumed, out examined);
                    }

                    continue;

                case State.Trailers:
                    if (!TryReadTrailers(buffer, ref position, out rejection))
                    {
                        if (rejection is not null)
                        {
                            break;
                        }

                        return NeedMore(buffer, position, out consumed, out examined);
                    }

                    continue;

                default:
                    rejection = _rejection;
                    break;
            }

            consumed = buffer.Start;
            examined = buffer.End;
            return HttpBodyStatus.Rejected;
        }
    }

    /// <summary>
    /// Call when the peer closed its side and <see cref="Decode"/> needs more data. Returns the rejection gunicorn
    /// reports for a chunked body cut short there (NoMoreData, or ChunkMissingTerminator after chunk data or the
    /// last chunk). A Content-Length body is ended where the input ended, as gunicorn does: the result is null,
    /// <see cref="IsComplete"/> and <see cref="IsTruncated"/> become true, and the request can still be answered.
    /// </summary>
    public HttpRejection? OnEndOfInput()
    {
        switch (_state)
        {
            case State.Done:
                return null;
            case State.Length:
                _state = State.Done;
                IsTruncated = true;
                return null;
            case State.ChunkDataEnd:
            case State.Trailers:
                return Fail(Rejections.ChunkTerminator([]));
            case State.Failed:
                return _rejection;
            default:
                return Fail(Rejections.NoMoreData(0));
        }
    }

    private void StartChunkLine()
    {
        _lineScanned = 0;
        _lineState = LineState.SizeStart;
        _lineInExtension = false;
        _chunkSize = 0;
    }

    /// <summary>
    /// Reads the chunk line starting at <paramref name="position"/> as far as it has arrived. True when it is complete
    /// (then <paramref name="position"/> is past its CRLF); false with a rejection when it broke the grammar, or
    /// without one when more input is needed.
    /// </summary>
    private bool TryReadChunkSize(in ReadOnlySequence<byte> buffer, ref long position, out HttpRejection? rejection)
    {
        rejection = null;
        long start = position + _lineScanned;
        foreach (ReadOnlyMemory<byte> segment in buffer.Slice(start))
        {
            ReadOnlySpan<byte> bytes = segment.Span;
            for (int i = 0; i < bytes.Length; i++)
            {
                BytesScanned++;
                byte b = bytes[i];
                if (_lineState == LineState.LineFeed)
                {
                    if (b != (byte)'\n')
                    {
                        rejection = FailChunkLine(buffer, position, "bare CR"u8);
                        return false;
                    }

                    return EndChunkLine(ref position, out rejection);
                }

                if (!Advance(b))
                {
                    rejection = FailChunkLine(buffer, position, b switch
                    {
                        (byte)'\n' => "bare LF"u8,
                        (byte)'\r' => "CR"u8,
                        < 0x20 or 0x7F => "a control character"u8,
                        _ => "a character out of place"u8,
                    });
                    return false;
                }

                // Every check depends on the bytes up to this one only, so the verdict does not depend on how the
                // input was split into reads. The CR that ends the line is not part of it: a line of exactly the
                // maximum length is accepted whether its CR and LF arrive together or apart.
                _lineScanned++;
                if (_lineState == LineState.LineFeed)
                {
                    continue;
                }

                if (_lineScanned > MaxChunkSizeLineLength)
                {
                    rejection = Fail(_lineInExtension
                        ? Rejections.ChunkExtension("chunk-size line too long")
                        : Rejections.ChunkSize("chunk-size line too long"u8));
                    return false;
                }

                if (_lineState >= LineState.SizeSpace && ++_extensionBytes > MaxChunkExtensionBytes)
                {
                    rejection = Fail(Rejections.ChunkExtension(string.Create(
                        CultureInfo.InvariantCulture, $"more than {MaxChunkExtensionBytes} bytes of chunk extensions in the body")));
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>One byte of a chunk line through the grammar; false when it cannot follow what came before.</summary>
    private bool Advance(byte b)
    {
        bool space = HttpCharacters.IsSpaceOrTab(b);
        LineState next;
        switch (_lineState)
        {
            case LineState.SizeStart:
            case LineState.Size:
                if (HttpCharacters.HexDigits.Contains(b))
                {
                    // RFC 9112 7.1: anticipate large numerals; leading zeros add nothing, so only the value can overflow.
                    if (_chunkSize > (long.MaxValue >> 4))
                    {
                        return false;
                    }

                    _chunkSize = (_chunkSize << 4) | (long)HexValue(b);
                    next = LineState.Size;
                }
                else
                {
                    next = _lineState == LineState.SizeStart ? LineState.Invalid : b switch
                    {
                        (byte)';' => LineState.NameStart,
                        (byte)'\r' => LineState.LineFeed,
                        _ when space => LineState.SizeSpace,
                        _ => LineState.Invalid,
                    };
                }

                break;
            case LineState.SizeSpace:
                next = b == (byte)';' ? LineState.NameStart : space ? LineState.SizeSpace : LineState.Invalid;
                break;
            case LineState.NameStart:
                next = space ? LineState.NameStart : HttpCharacters.Token.Contains(b) ? LineState.Name : LineState.Invalid;
                break;
            case LineState.Name:
                next = HttpCharacters.Token.Contains(b) ? LineState.Name : AfterNameOrValue(b, space, LineState.NameSpace, allowEquals: true);
                break;
            case LineState.NameSpace:
                next = space ? LineState.NameSpace : b switch
                {
                    (byte)'=' => LineState.ValueStart,
                    (byte)';' => LineState.NameStart,
                    _ => LineState.Invalid,
                };
                break;
            case LineState.ValueStart:
                next = space ? LineState.ValueStart
                    : b == (byte)'"' ? LineState.Quoted
                    : HttpCharacters.Token.Contains(b) ? LineState.Token
                    : LineState.Invalid;
                break;
            case LineState.Token:
                next = HttpCharacters.Token.Contains(b) ? LineState.Token : AfterNameOrValue(b, space, LineState.ValueSpace, allowEquals: false);
                break;
            case LineState.Quoted:
                // RFC 9110 5.6.4 qdtext: HTAB, SP, '!', '#'-'[', ']'-'~', obs-text.
                next = b switch
                {
                    (byte)'"' => LineState.QuotedEnd,
                    (byte)'\\' => LineState.QuotedPair,
                    (byte)'\t' or >= 0x20 and not 0x7F => LineState.Quoted,
                    _ => LineState.Invalid,
                };
                break;
            case LineState.QuotedPair:
                next = b is (byte)'\t' or >= 0x20 and not 0x7F ? LineState.Quoted : LineState.Invalid;
                break;
            case LineState.QuotedEnd:
                next = AfterNameOrValue(b, space, LineState.ValueSpace, allowEquals: false);
                break;
            default:
                // ValueSpace, the only state left (LineFeed is handled by the caller).
                next = space ? LineState.ValueSpace : b == (byte)';' ? LineState.NameStart : LineState.Invalid;
                break;
        }

        if (next == LineState.Invalid)
        {
            return false;
        }

        _lineInExtension |= next == LineState.NameStart;
        _lineState = next;
        return true;
    }

    // What may follow a complete name or value: BWS, ';', '=' after a name, or the CR that ends the line.
    private static LineState AfterNameOrValue(byte b, bool space, LineState spaceState, bool allowEquals) => b switch
    {
        (byte)';' => LineState.NameStart,
        (byte)'\r' => LineState.LineFeed,
        (byte)'=' when allowEquals => LineState.ValueStart,
        _ when space => spaceState,
        _ => LineState.Invalid,
    };

    private bool EndChunkLine(ref long position, out HttpRejection? rejection)
    {
        rejection = null;
        long chunkSize = _chunkSize;

        // Saturating: a run of huge chunk sizes must not wrap around below the limit.
        _chunkedTotal = chunkSize > long.MaxValue - _chunkedTotal ? long.MaxValue : _chunkedTotal + chunkSize;
        long limit = _rules.Options.LimitRequestBody;
        if (limit > 0 && _chunkedTotal > limit)
        {
            rejection = Fail(Rejections.BodyTooLarge(_chunkedTotal, limit));
            return false;
        }

        position += _lineScanned + 1;
        if (chunkSize == 0)
        {
            (_state, _remaining) = (State.Trailers, 0L);
            _trailerScanned = _trailerLineStart = 0;
            _trailerAfterCr = false;
        }
        else
        {
            (_state, _remaining) = (State.ChunkData, chunkSize);
        }

        return true;
    }

    // The line so far, the offending byte included, quoted in the detail: a size error quotes the size as gunicorn
    // does, but only up to where it went wrong, since the rest may not have arrived.
    private HttpRejection FailChunkLine(in ReadOnlySequence<byte> buffer, long lineStart, ReadOnlySpan<byte> what)
    {
        byte[] line = buffer.Slice(lineStart, Math.Min(_lineScanned + 1, buffer.Length - lineStart)).ToArray();
        return Fail(_lineInExtension
            ? Rejections.ChunkExtension(System.Text.Encoding.ASCII.GetString(what) + " in " + PythonRepr.Bytes(line))
            : Rejections.ChunkSize(line));
    }

    /// <summary>
    /// Reads the trailer section starting at <paramref name="position"/>: true once its final CRLF has arrived and its
    /// fields were parsed into the head; false with a rejection, or without one when more input is needed.
    /// </summary>
    private bool TryReadTrailers(in ReadOnlySequence<byte> buffer, ref long position, out HttpRejection? rejection)
    {
        long end = ScanTrailerSection(buffer, position, out rejection);
        if (rejection is not null)
        {
            Fail(rejection);
            return false;
        }

        if (end < 0)
        {
            if (buffer.Length - position > _rules.MaxHeaderSectionBytes)
            {
                rejection = Fail(Rejections.SectionTooLarge());
            }

            return false;
        }

        // end is where the empty line's CR lies; an empty section is that line alone.
        if (end > 0)
        {
            HttpRequestHead head = _head!;
            int sectionStart = head.Append(buffer.Slice(position, end));
            long fieldScanned = 0;
            rejection = FieldSectionParser.Parse(
                head, head.Trailers, _rules, sectionStart, head.ArenaLength,
                fromTrailer: true, peerIsTrusted: false, ref fieldScanned);
            BytesScanned += fieldScanned;
            if (rejection is not null)
            {
                Fail(rejection);
                return false;
            }
        }

        position += end + 2;
        _state = State.Done;
        return true;
    }

    /// <summary>
    /// Checks the trailer section's line ends as far as it has arrived, going on from the last call. Returns the
    /// offset (from <paramref name="position"/>) of the CR of the empty line that ends the section, or -1 when it has
    /// not arrived or a bare CR or LF was found (then <paramref name="rejection"/> says so).
    /// </summary>
    private long ScanTrailerSection(in ReadOnlySequence<byte> buffer, long position, out HttpRejection? rejection)
    {
        rejection = null;
        long offset = _trailerScanned;
        foreach (ReadOnlyMemory<byte> segment in buffer.Slice(position + offset))
        {
            ReadOnlySpan<byte> bytes = segment.Span;
            int i = 0;
            while (i < bytes.Length)
            {
                if (!_trailerAfterCr)
                {
                    // Field content needs no look: skip to the next CR or LF.
                    int lineEnd = bytes[i..].IndexOfAny((byte)'\r', (byte)'\n');
                    int skipped = lineEnd < 0 ? bytes.Length - i : lineEnd;
                    BytesScanned += skipped;
                    i += skipped;
                    offset += skipped;
                    if (lineEnd < 0)
                    {
                        break;
                    }
                }

                BytesScanned++;
                byte b = bytes[i++];
                offset++;
                if (_trailerAfterCr)
                {
                    _trailerAfterCr = false;
                    if (b != (byte)'\n')
                    {
                        rejection = BareLineEnd(buffer, position, offset);
                        return -1;
                    }

                    if (offset - 2 == _trailerLineStart)
                    {
                        _trailerScanned = offset;
                        return _trailerLineStart;
                    }

                    _trailerLineStart = offset;
                }
                else if (b == (byte)'\r')
                {
                    _trailerAfterCr = true;
                }
                else
                {
                    rejection = BareLineEnd(buffer, position, offset);
                    return -1;
                }
            }
        }

        _trailerScanned = offset;
        return -1;
    }

    // gunicorn would find the stray byte inside a field line and refuse the line as an invalid header.
    private HttpRejection BareLineEnd(in ReadOnlySequence<byte> buffer, long position, long offset) =>
        Rejections.Header(buffer.Slice(position + _trailerLineStart, offset - _trailerLineStart).ToArray());

    private static int HexValue(byte digit) => digit switch
    {
        <= (byte)'9' => digit - '0',
        <= (byte)'F' => digit - 'A' + 10,
        _ => digit - 'a' + 10,
    };

    private HttpRejection Fail(HttpRejection rejection)
    {
        _state = State.Failed;
        _rejection = rejection;
        return rejection;
    }

    private static HttpBodyStatus NeedMore(in ReadOnlySequence<byte> buffer, long position, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = buffer.GetPosition(position);
        examined = buffer.End;
        return HttpBodyStatus.NeedMoreData;
    }
}
