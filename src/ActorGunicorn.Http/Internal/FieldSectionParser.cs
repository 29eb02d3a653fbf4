namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Parses a block of CRLF-terminated field lines lying in the head's arena, applying gunicorn's
/// <c>Message.parse_headers</c> and <c>HeaderPolicy._apply_header_policy</c> in their order. Used for the header
/// section and, with <c>fromTrailer</c>, for the trailer section of a chunked body.
/// </summary>
internal static class FieldSectionParser
{
    public static HttpRejection? Parse(
        HttpRequestHead head, HttpHeaderFields fields, ParserRules rules, int start, int end,
        bool fromTrailer, bool peerIsTrusted, ref long scanned)
    {
        HttpParserOptions options = rules.Options;
        bool useSchemeHeaders = peerIsTrusted && !fromTrailer;
        bool schemeSeen = false, hostSeen = false, contentTypeSeen = false;
        int fieldCount = 0;
        int position = start;
        while (position < end)
        {
            // Every field line counts, including those the header map drops, so dropping is no way around the limit.
            if (fieldCount >= rules.LimitRequestFields)
            {
                return Rejections.TooManyFields();
            }

            int lineEnd = LineEnd(head, position, end, ref scanned);
            ReadOnlySpan<byte> line = head.Arena[position..lineEnd];
            int fieldLength = line.Length + 2;
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return Rejections.Header(line);
            }

            int nameLength = colon;
            if (options.StripHeaderSpaces)
            {
                while (nameLength > 0 && HttpCharacters.IsSpaceOrTab(line[nameLength - 1]))
                {
                    nameLength--;
                }
            }

            ReadOnlySpan<byte> name = line[..nameLength];
            if (!HttpCharacters.IsToken(name))
            {
                return Rejections.HeaderName(name);
            }

            if (fromTrailer && IsForbiddenTrailer(name))
            {
                return Rejections.HeaderName(Upper(name));
            }

            int nameStart = position;
            (int valueOffset, int valueLength) = HttpCharacters.TrimSpaceTabRange(line[(colon + 1)..]);
            int valueStart = position + colon + 1 + valueOffset;
            position = lineEnd + 2;

            if (position < end && HttpCharacters.IsSpaceOrTab(head.Arena[position]))
            {
                if (!options.PermitObsoleteFolding)
                {
                    return Rejections.Folding(Upper(head.Arena.Slice(nameStart, nameLength)));
                }

                HttpRejection? tooLarge = JoinFoldedLines(head, rules, end, ref position, ref fieldLength, ref valueStart, ref valueLength, ref scanned);
                if (tooLarge is not null)
                {
                    return tooLarge;
                }
            }

            ReadOnlySpan<byte> value = head.Bytes(valueStart, valueLength);
            name = head.Bytes(nameStart, nameLength);
            if (value.IndexOfAny(HttpCharacters.FieldValueForbidden) >= 0)
            {
                return Rejections.Header(Upper(name));
            }

            if (fieldLength > rules.LimitRequestFieldSize)
            {
                return Rejections.FieldTooLarge();
            }

            fieldCount++;
            HeaderKind kind = Classify(name);

            // RFC 9110 5.3: a singleton field seen twice leaves the message ambiguous.
            if ((kind == HeaderKind.Host && !Mark(ref hostSeen)) || (kind == HeaderKind.ContentType && !Mark(ref contentTypeSeen)))
            {
                return Rejections.Header(Upper(name));
            }

            if (kind == HeaderKind.Expect && !fromTrailer)
            {
                // RFC 9110 10.1.1: the value is case-insensitive; HTTP/1.0 requests' 100-continue is ignored.
                if (!System.Text.Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    return Rejections.Expectation(value);
                }

                head.ExpectsContinue |= head.IsHttp11OrLater;
            }

            if (useSchemeHeaders)
            {
                int scheme = rules.IndexOfSecureSchemeHeader(name);
                if (scheme >= 0)
                {
                    byte[]? secureValue = rules.SecureSchemeValues[scheme];
                    string headerScheme = secureValue is not null && value.SequenceEqual(secureValue) ? "https" : "http";
                    if (schemeSeen && !string.Equals(headerScheme, head.Scheme, StringComparison.Ordinal))
                    {
                        return Rejections.SchemeHeaders();
                    }

                    schemeSeen = true;
                    head.Scheme = headerScheme;
                }
            }

            if (name.Contains((byte)'_') && !(useSchemeHeaders && rules.IsForwarderHeader(name)))
            {
                switch (options.HeaderMap)
                {
                    case HeaderMapPolicy.Dangerous:
                        break;
                    case HeaderMapPolicy.Drop:
                        continue;
                    default:
                        return Rejections.HeaderName(Upper(name));
                }
            }

            fields.Add(nameStart, nameLength, valueStart, valueLength, kind);
        }

        return null;
    }

    /// <summary>
    /// obs-fold (RFC 9112 5.2), when permitted: joins the stripped continuation lines to the value with single spaces,
    /// writing the joined value at the end of the arena. Each continuation counts against the field size.
    /// </summary>
    private static HttpRejection? JoinFoldedLines(
        HttpRequestHead head, ParserRules rules, int end, ref int position, ref int fieldLength,
        ref int valueStart, ref int valueLength, ref long scanned)
    {
        int joinedStart = head.ArenaLength;
        int firstStart = valueStart, firstLength = valueLength;
        head.Reserve(firstLength);
        head.Arena.Slice(firstStart, firstLength).CopyTo(head.Arena[joinedStart..]);
        while (position < end && HttpCharacters.IsSpaceOrTab(head.Arena[position]))
        {
            int lineEnd = LineEnd(head, position, end, ref scanned);
            fieldLength += lineEnd - position + 2;
            if (fieldLength > rules.LimitRequestFieldSize)
            {
                return Rejections.FieldTooLarge();
            }

            (int offset, int length) = HttpCharacters.TrimSpaceTabRange(head.Arena[position..lineEnd]);
            int partStart = position + offset;
            position = lineEnd + 2;
            int at = head.Reserve(1 + length);
            head.Arena[at] = (byte)' ';
            head.Arena.Slice(partStart, length).CopyTo(head.Arena[(at + 1)..]);
        }

        valueStart = joinedStart;
        valueLength = head.ArenaLength - joinedStart;
        return null;
    }

    private static int LineEnd(HttpRequestHead head, int position, int end, ref long scanned)
    {
        int found = head.Arena[position..end].IndexOf("\r\n"u8);
        scanned += found + 2;
        return position + found;
    }

    private static bool Mark(ref bool seen)
    {
        bool first = !seen;
        seen = true;
        return first;
    }

    /// <summary>Recognises the header names the parser acts on (ASCII case-insensitive).</summary>
    private static HeaderKind Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when System.Text.Ascii.EqualsIgnoreCase(name, "host"u8) => HeaderKind.Host,
        6 when System.Text.Ascii.EqualsIgnoreCase(name, "expect"u8) => HeaderKind.Expect,
        10 when System.Text.Ascii.EqualsIgnoreCase(name, "connection"u8) => HeaderKind.Connection,
        12 when System.Text.Ascii.EqualsIgnoreCase(name, "content-type"u8) => HeaderKind.ContentType,
        14 when System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8) => HeaderKind.ContentLength,
        17 when System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => HeaderKind.TransferEncoding,
        _ => HeaderKind.Other,
    };

    /// <summary>RFC 9110 6.5.1: fields that would change routing, framing or authentication may not be trailers.</summary>
    private static bool IsForbiddenTrailer(ReadOnlySpan<byte> name) =>
        System.Text.Ascii.EqualsIgnoreCase(name, "host"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "trailer"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "authorization"u8)
        || System.Text.Ascii.EqualsIgnoreCase(name, "te"u8);

    /// <summary>gunicorn reports names upper-cased; only used to build error details.</summary>
    private static byte[] Upper(ReadOnlySpan<byte> name)
    {
        byte[] upper = name.ToArray();
        System.Text.Ascii.ToUpperInPlace(upper, out _);
        return upper;
    }
}
