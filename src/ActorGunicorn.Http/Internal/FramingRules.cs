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
        bool chunked = false;
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
                    HttpRejection? rejection = ApplyTransferCodings(head, headers.GetValueBytes(i), ref chunked);
                    if (rejection is not null)
                    {
                        return rejection;
                    }

                    break;
            }
        }

        if (chunked)
        {
            // RFC 9112 6.1: chunked is undefined for HTTP/1.0, and with Content-Length too a front end may have
            // framed the message differently: refuse both rather than guess.
            if (!head.IsHttp11OrLater)
            {
                return Rejections.Header("TRANSFER-ENCODING"u8);
            }

            if (contentLength >= 0)
            {
                return Rejections.Header("CONTENT-LENGTH"u8);
            }

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
    private static HttpRejection? ApplyTransferCodings(HttpRequestHead head, ReadOnlySpan<byte> value, ref bool chunked)
    {
        ReadOnlySpan<byte> rest = value;
        while (true)
        {
            int comma = rest.IndexOf((byte)',');
            ReadOnlySpan<byte> coding = HttpCharacters.TrimSpaceTab(comma < 0 ? rest : rest[..comma]);
            if (System.Text.Ascii.EqualsIgnoreCase(coding, "chunked"u8))
            {
                // Stacked chunked is never intended and is a smuggling vector.
                if (chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }

                chunked = true;
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(coding, "identity"u8))
            {
                if (chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }
            }
            else if (System.Text.Ascii.EqualsIgnoreCase(coding, "gzip"u8)
                || System.Text.Ascii.EqualsIgnoreCase(coding, "deflate"u8)
                || System.Text.Ascii.EqualsIgnoreCase(coding, "compress"u8))
            {
                if (chunked)
                {
                    return Rejections.Header("TRANSFER-ENCODING"u8);
                }

                // Accepted but not decoded: the application sees the coded bytes, and the connection is not reused.
                head.MustClose = true;
            }
            else
            {
                // Anything else, the empty coding included, is not implemented (501).
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
}
