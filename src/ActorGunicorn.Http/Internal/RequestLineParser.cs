namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Validates a request line (already copied into the head's arena, CRLF excluded) and records method, target parts
/// and version on the head. Rules and their order are gunicorn's <c>Request.parse_request_line</c>; see
/// <see cref="HttpRequestParser"/> for the list.
/// </summary>
internal static class RequestLineParser
{
    public static HttpRejection? Parse(HttpRequestHead head, ParserRules rules, int lineLength)
    {
        ReadOnlySpan<byte> line = head.Arena[..lineLength];
        int firstSpace = line.IndexOf((byte)' ');
        int secondSpace = firstSpace < 0 ? -1 : line[(firstSpace + 1)..].IndexOf((byte)' ');
        if (secondSpace < 0)
        {
            return Rejections.RequestLine(line);
        }

        secondSpace += firstSpace + 1;
        ReadOnlySpan<byte> method = line[..firstSpace];
        ReadOnlySpan<byte> target = line[(firstSpace + 1)..secondSpace];
        ReadOnlySpan<byte> version = line[(secondSpace + 1)..];

        HttpRejection? rejection = ParseMethod(head, rules, method);
        if (rejection is not null)
        {
            return rejection;
        }

        rejection = ParseTarget(head, head.MethodBytes, target, firstSpace + 1, line);
        return rejection ?? ParseVersion(head, rules, version);
    }

    private static HttpRejection? ParseMethod(HttpRequestHead head, ParserRules rules, ReadOnlySpan<byte> method)
    {
        if (!rules.Options.PermitUnconventionalHttpMethod
            && (method.IndexOfAny(HttpCharacters.UnconventionalMethod) >= 0 || method.Length is < 3 or > 20))
        {
            return Rejections.Method(method);
        }

        if (!HttpCharacters.IsToken(method))
        {
            return Rejections.Method(method);
        }

        if (rules.Options.CasefoldHttpMethod)
        {
            // The arena holds our own copy of the line, so the method can be upper-cased where it lies.
            System.Text.Ascii.ToUpperInPlace(head.Arena[..method.Length], out _);
        }

        head.SetMethod(0, method.Length, WellKnownMethods.Lookup(head.Arena[..method.Length]));
        return null;
    }

    private static HttpRejection? ParseTarget(HttpRequestHead head, ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, int targetStart, ReadOnlySpan<byte> line)
    {
        // RFC 9112 3.2: none of the four request-target forms is empty.
        if (target.IsEmpty)
        {
            return Rejections.RequestLine(line);
        }

        bool isAsterisk = target.SequenceEqual("*"u8);

        // RFC 9112 3.2.4: asterisk-form only with OPTIONS.
        if (isAsterisk && !method.SequenceEqual("OPTIONS"u8))
        {
            return Rejections.RequestLine(line);
        }

        // RFC 9112 3.2.3: anything that is neither origin-form ('/'), absolute-form ("://") nor '*' is
        // authority-form, which only CONNECT may use.
        if (!method.SequenceEqual("CONNECT"u8) && !isAsterisk && target[0] != (byte)'/' && target.IndexOf("://"u8) < 0)
        {
            return Rejections.RequestLine(line);
        }

        // Stricter than gunicorn, which lets controls through to urlsplit (that silently deletes TAB, CR and LF):
        // RFC 9112 3.2 allows only visible characters in a request-target.
        if (target.IndexOfAny(HttpCharacters.TargetForbidden) >= 0)
        {
            return Rejections.RequestLine(line);
        }

        if (!RequestTargetSplitter.TrySplit(target, out Range path, out Range query, out Range fragment))
        {
            return Rejections.RequestLine(line);
        }

        head.SetTarget(targetStart, target.Length);
        (int pathOffset, int pathLength) = path.GetOffsetAndLength(target.Length);
        (int queryOffset, int queryLength) = query.GetOffsetAndLength(target.Length);
        (int fragmentOffset, int fragmentLength) = fragment.GetOffsetAndLength(target.Length);
        head.SetTargetParts(
            targetStart + pathOffset, pathLength,
            targetStart + queryOffset, queryLength,
            targetStart + fragmentOffset, fragmentLength);
        return null;
    }

    private static HttpRejection? ParseVersion(HttpRequestHead head, ParserRules rules, ReadOnlySpan<byte> version)
    {
        // Exactly "HTTP/d.d" (RFC 9112 2.3 allows single digits only).
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || version[6] != (byte)'.'
            || !char.IsAsciiDigit((char)version[5]) || !char.IsAsciiDigit((char)version[7]))
        {
            return Rejections.Version(version);
        }

        int major = version[5] - '0';
        int minor = version[7] - '0';
        if (major != 1 && !rules.Options.PermitUnconventionalHttpVersion)
        {
            return Rejections.VersionOutOfRange(major, minor);
        }

        head.VersionMajor = major;
        head.VersionMinor = minor;
        return null;
    }
}
