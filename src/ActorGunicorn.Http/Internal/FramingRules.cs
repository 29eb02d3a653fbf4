namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Decides how the body is delimited and whether the connection may be reused, from the kept header fields in
/// order: gunicorn's <c>Message.set_body_reader</c> and <c>Message.should_close</c>.
/// </summary>
internal static class FramingRules
{
    public static HttpRejection? Apply(HttpRequestHead head)
    {
        HttpHeaderFields headers = head.Headers;
        var codings = default(TransferCodings);
        int contentLength = -1;
        for (int i = 0; i < headers.Count; i++)
        {
            switch (headers.GetKind(i))
            {
                case HeaderKind.ContentLength:
                    if (contentLength >= 0)
                    {
                        return Rejections.Header("CONTENT-LENGTH"u8);
                    }

                    contentLength = i;
                    break;
                case HeaderKind.TransferEncoding:
                    HttpRejection? rejection = ApplyTransferCodings(head, headers.GetValueBytes(i), ref codings);
                    if (rejection is not null)
                    {
                        return rejection;
                    }

                    break;
            }
        }

        if (codings.Present)
        {
            // RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as faulty framing, even with a
            // Content-Length (gunicorn refuses only chunked there). 6.3: a request whose final coding is not chunked
            // cannot be delimited and MUST get 400 (gunicorn accepts a compression alone, with the Content-Length's
            // body or none, so the application saw a compressed upload as an empty body).
            if (!head.IsHttp11OrLater || (codings.Compressed && !codings.Chunked))
            {
                return Rejections.Header("TRANSFER-ENCODING"u8);
            }

            // With Content-Length too a front end may have framed the message differently: refuse rather than guess.
            if (codings.Chunked && contentLength >= 0)
            {
                return Rejections.Header("CONTENT-LENGTH"u8);
            }
        }

        if (codings.Chunked)
        {
            head.BodyFraming = HttpBodyFraming.Chunked;
        }
        else if (contentLength >= 0)
        {
            if (!TryParseContentLength(headers.GetValueBytes(contentLength), out long length))
            {
                return Rejections.Header("CONTENT-LENGTH"u8);
            }

            head.BodyFraming = HttpBodyFraming.ContentLength;
            head.ContentLength = length;
        }

        head.KeepAlive = !ShouldClose(head);
        return null;
    }

    // Transfer-Encoding is a list, possibly over several fields; codings apply in order and chunked must be last.
    // identity is no coding at all (RFC 2616's meaning, kept by gunicorn and its corpus: valid/009 frames an identity
    // request by its Content-Length), so it only counts as the field being present.
    private static HttpRejection? ApplyTransferCodings(HttpRequestHead head, ReadOnlySpan<byte> value, ref TransferCodings codings)
    {
        codings.Present = true;
        ReadOnlySpan<byte> rest = value;
        while (true)
        {
            int comma = rest.IndexOf((byte)',');
            ReadOnlySpan<byte> coding = HttpCharacters.TrimSpaceTab(comma < 0 ? rest : rest[..comma]);
            if (System.Text.Ascii.EqualsIgnoreCase(coding, "chunked"u8))
            {
                // Stacked chunked is never intended and is a smuggling vector.
                if (codings.Chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }

                codings.Chunked = true;
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(coding, "identity"u8))
            {
                if (codings.Chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(coding, "gzip"u8)
                || System.Text.Ascii.EqualsIgnoreCase(coding, "deflate"u8)
                || System.Text.Ascii.EqualsIgnoreCase(coding, "compress"u8))
            {
                if (codings.Chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }

                // Accepted before chunked but not decoded: the application sees the coded bytes, and the connection
                // is not reused.
                codings.Compressed = true;
                head.MustClose = true;
            }
            else
            {
                // Anything else is not implemented (501, RFC 9112 6.1's SHOULD). The empty coding of an empty field or
                // of an empty list element too: RFC 9110 5.6.1.2 would skip empty elements, but for the field that
                // frames the body gunicorn's refusal is safer, since it cannot disagree with a front end about where
                // the body ends.
                return Rejections.TransferCoding(value);
            }

            if (comma < 0)
            {
                return null;
            }

            rest = rest[(comma + 1)..];
        }
    }

    // gunicorn: str.isnumeric() and int(): decimal digits only, so "+1", "-0", "0_1", "0 1" and "5, 5" fail.
    private static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.IndexOfAnyExcept(HttpCharacters.Digits) >= 0)
        {
            return false;
        }

        foreach (byte digit in value)
        {
            // Python's int has no ceiling; a length beyond long.MaxValue could never be sent anyway.
            if (length > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            length = length * 10 + (digit - '0');
        }

        return true;
    }

    private static bool ShouldClose(HttpRequestHead head)
    {
        if (head.MustClose)
        {
            return true;
        }

        int connection = head.Headers.IndexOf("connection"u8);
        if (connection >= 0)
        {
            ReadOnlySpan<byte> value = head.Headers.GetValueBytes(connection);
            if (System.Text.Ascii.EqualsIgnoreCase(value, "close"u8))
            {
                return true;
            }

            if (System.Text.Ascii.EqualsIgnoreCase(value, "keep-alive"u8))
            {
                return false;
            }
        }

        return !head.IsHttp11OrLater;
    }

    /// <summary>What the Transfer-Encoding fields of a request said, taken together.</summary>
    private struct TransferCodings
    {
        /// <summary>At least one Transfer-Encoding field.</summary>
        public bool Present;

        /// <summary>chunked, which must then be the last coding.</summary>
        public bool Chunked;

        /// <summary>gzip, deflate or compress (before chunked, or the request is refused).</summary>
        public bool Compressed;
    }
}
