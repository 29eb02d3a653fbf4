using System.Buffers;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/*
 * Request bodies (gunicorn/http/body.py: LengthReader, ChunkedReader).
 *
 * Content-Length: exactly that many bytes. No framing: an empty body.
 * Chunked (RFC 9112 7.1):
 *   - chunk-size line up to CRLF: hex digits only (either case, leading zeros fine), no sign, no "0x", no
 *     whitespace; SP/HTAB may follow the size only before ";ext" (BWS); extensions are ignored, but a bare CR in
 *     them is refused (InvalidChunkExtension). Anything else is InvalidChunkSize.
 *   - exactly CRLF after each chunk's data (ChunkMissingTerminator).
 *   - after the 0-size chunk: the trailer section, parsed with the header rules; Host, Content-Length,
 *     Transfer-Encoding, Trailer, Authorization and TE are refused as trailers (InvalidHeaderName).
 *   - end of input before the final CRLF of the trailer section, or right after a chunk's data, is
 *     ChunkMissingTerminator; elsewhere inside a chunked body it is NoMoreData.
 * End of input inside a Content-Length body is not an error in gunicorn: LengthReader hands the application what
 * arrived (valid/099 of the corpus announces 17914 bytes and sends 8599). The decoder does the same and says so in
 * IsTruncated.
 * Limits gunicorn lacks, so that a peer cannot make the decoder buffer without bound: a chunk-size line longer than
 * 8190 bytes (DEFAULT_MAX_HEADERFIELD_SIZE) and a trailer section larger than the header-section bound are refused,
 * and a size beyond 2^63-1 is InvalidChunkSize.
 */

/// <summary>
/// Decodes one request body at a time from the connection's input, pull-style and without I/O. Reset it with each
/// request head, then call <see cref="Decode"/> with the unconsumed input until it says Complete (or Rejected).
/// Payload slices point into the caller's buffer: use them before advancing past <c>consumed</c>.
/// </summary>
public sealed class HttpBodyDecoder
{
    /// <summary>The longest chunk-size line (size and extensions) accepted.</summary>
    public const int MaxChunkSizeLineLength = HttpParserOptions.DefaultMaxHeaderFieldSize;

    private readonly ParserRules _rules;
    private HttpRequestHead? _head;
    private State _state = State.Done;
    private long _remaining;
    private long _chunkedTotal;
    private long _lineSearched;
    private int _maxPayloadSliceLength = int.MaxValue;
    private HttpRejection? _rejection;

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
        _lineSearched = 0;
        _chunkedTotal = 0;
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

    private bool TryReadChunkSize(in ReadOnlySequence<byte> buffer, ref long position, out HttpRejection? rejection)
    {
        rejection = null;
        long scanned = 0;
        long lineEnd = SequenceSearch.IndexOf(buffer, position + Math.Max(0, _lineSearched - 1), "\r\n"u8, ref scanned);
        BytesScanned += scanned;
        long available = buffer.Length - position;

        // Before its CRLF has arrived, a CR ending the input may be the first half of it, so it is not counted as
        // part of the line; and a line too long is judged by its first MaxChunkSizeLineLength + 1 bytes only. Both
        // keep the outcome independent of how the input was split into reads (a line of exactly the maximum
        // length whose CR and LF arrive separately is accepted, as when it arrives whole).
        long lineLength = lineEnd >= 0 ? lineEnd - position
            : available > 0 && EndsWithCarriageReturn(buffer) ? available - 1
            : available;
        if (lineLength > MaxChunkSizeLineLength)
        {
            rejection = Fail(buffer.Slice(position, MaxChunkSizeLineLength + 1).PositionOf((byte)';') is null
                ? Rejections.ChunkSize("chunk-size line too long"u8)
                : Rejections.ChunkExtension("chunk-size line too long"));
            return false;
        }

        if (lineEnd < 0)
        {
            _lineSearched = available;
            return false;
        }

        ReadOnlySequence<byte> lineBytes = buffer.Slice(position, lineLength);
        scoped ReadOnlySpan<byte> line;
        if (lineBytes.IsSingleSegment)
        {
            line = lineBytes.FirstSpan;
        }
        else
        {
            Span<byte> copy = stackalloc byte[(int)lineLength];
            lineBytes.CopyTo(copy);
            line = copy;
        }

        ReadOnlySpan<byte> size = line;
        int semicolon = line.IndexOf((byte)';');
        if (semicolon >= 0)
        {
            if (line[(semicolon + 1)..].Contains((byte)'\r'))
            {
                rejection = Fail(Rejections.ChunkExtension("bare CR not allowed"));
                return false;
            }

            // RFC 9112 7.1.1: BWS is allowed before a chunk extension, and only there.
            size = line[..semicolon].TrimEnd(" \t"u8);
        }

        if (!TryParseHex(size, out long chunkSize))
        {
            rejection = Fail(Rejections.ChunkSize(size));
            return false;
        }

        // Saturating: a run of huge chunk sizes must not wrap around below the limit.
        _chunkedTotal = chunkSize > long.MaxValue - _chunkedTotal ? long.MaxValue : _chunkedTotal + chunkSize;
        long limit = _rules.Options.LimitRequestBody;
        if (limit > 0 && _chunkedTotal > limit)
        {
            rejection = Fail(Rejections.BodyTooLarge(_chunkedTotal, limit));
            return false;
        }

        position = lineEnd + 2;
        _lineSearched = 0;
        (_state, _remaining) = chunkSize == 0 ? (State.Trailers, 0L) : (State.ChunkData, chunkSize);
        return true;
    }

    private bool TryReadTrailers(in ReadOnlySequence<byte> buffer, ref long position, out HttpRejection? rejection)
    {
        rejection = null;
        long available = buffer.Length - position;
        if (available < 2)
        {
            return false;
        }

        ReadOnlySequence<byte> start = buffer.Slice(position, 2);
        Span<byte> firstTwo = stackalloc byte[2];
        start.CopyTo(firstTwo);
        if (firstTwo.SequenceEqual("\r\n"u8))
        {
            position += 2;
            _state = State.Done;
            return true;
        }

        long scanned = 0;
        long blankLine = SequenceSearch.IndexOf(buffer, position + Math.Max(0, _lineSearched - 3), "\r\n\r\n"u8, ref scanned);
        BytesScanned += scanned;
        if (blankLine < 0)
        {
            if (available > _rules.MaxHeaderSectionBytes)
            {
                rejection = Fail(Rejections.SectionTooLarge());
            }

            _lineSearched = available;
            return false;
        }

        HttpRequestHead head = _head!;
        int sectionStart = head.Append(buffer.Slice(position, blankLine + 2 - position));
        long fieldScanned = 0;
        rejection = FieldSectionParser.Parse(
            head, head.Trailers, _rules, sectionStart, head.ArenaLength,
            fromTrailer: true, peerIsTrusted: false, ref fieldScanned);
        if (rejection is not null)
        {
            Fail(rejection);
            return false;
        }

        position = blankLine + 4;
        _state = State.Done;
        return true;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> last = stackalloc byte[1];
        buffer.Slice(buffer.Length - 1).CopyTo(last);
        return last[0] == (byte)'\r';
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.IndexOfAnyExcept(HttpCharacters.HexDigits) >= 0)
        {
            return false;
        }

        foreach (byte digit in digits)
        {
            if (value > (long.MaxValue >> 4))
            {
                return false;
            }

            value = (value << 4) | (long)HexValue(digit);
        }

        return true;
    }

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
