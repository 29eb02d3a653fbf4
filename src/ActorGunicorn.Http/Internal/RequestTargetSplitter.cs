namespace ActorGunicorn.Http.Internal;

/// <summary>
/// gunicorn's <c>util.split_request_uri</c>: Python's <c>urllib.parse.urlsplit</c> (3.11+ semantics), except that a
/// target starting with <c>//</c> is a path, not a network location. Yields path, query and fragment ranges, or
/// false where <c>urlsplit</c> raises <c>ValueError</c> (unbalanced or invalid brackets in the authority).
/// The caller has already refused controls and spaces, so urlsplit's stripping of them never applies.
/// </summary>
internal static class RequestTargetSplitter
{
    /// <summary>Splits <paramref name="target"/>; ranges are relative to its start.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> target, out Range path, out Range query, out Range fragment)
    {
        int position = 0;
        if (!target.StartsWith("//"u8))
        {
            position = SchemeLength(target);
            if (target[position..].StartsWith("//"u8))
            {
                int netlocStart = position + 2;
                int netlocLength = target[netlocStart..].IndexOfAny("/?#"u8);
                int netlocEnd = netlocLength < 0 ? target.Length : netlocStart + netlocLength;
                if (!IsValidNetloc(target[netlocStart..netlocEnd]))
                {
                    path = query = fragment = default;
                    return false;
                }

                position = netlocEnd;
            }
        }

        int end = target.Length;
        int hash = target[position..].IndexOf((byte)'#');
        fragment = hash < 0 ? new Range(end, end) : new Range(position + hash + 1, end);
        if (hash >= 0)
        {
            end = position + hash;
        }

        int question = target[position..end].IndexOf((byte)'?');
        query = question < 0 ? new Range(end, end) : new Range(position + question + 1, end);
        if (question >= 0)
        {
            end = position + question;
        }

        path = new Range(position, end);
        return true;
    }

    // urlsplit takes "scheme:" when the part before the first ':' starts with an ASCII letter and holds only
    // letters, digits, '+', '-' and '.'. That is why CONNECT's "example.com:443" has the path "443".
    private static int SchemeLength(ReadOnlySpan<byte> target)
    {
        int colon = target.IndexOf((byte)':');
        if (colon <= 0 || !char.IsAsciiLetter((char)target[0]))
        {
            return 0;
        }

        foreach (byte b in target[..colon])
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not (byte)'+' and not (byte)'-' and not (byte)'.')
            {
                return 0;
            }
        }

        return colon + 1;
    }

    private static bool IsValidNetloc(ReadOnlySpan<byte> netloc)
    {
        bool open = netloc.Contains((byte)'[');
        bool close = netloc.Contains((byte)']');
        if (open != close)
        {
            return false; // "Invalid IPv6 URL"
        }

        if (!open)
        {
            return true;
        }

        ReadOnlySpan<byte> afterOpen = netloc[(netloc.IndexOf((byte)'[') + 1)..];
        int closeIndex = afterOpen.IndexOf((byte)']');
        ReadOnlySpan<byte> host = closeIndex < 0 ? afterOpen : afterOpen[..closeIndex];
        return IsValidBracketedHost(host);
    }

    // urllib's _check_bracketed_host: "v<hex>.<anything>" (IPvFuture) or an IPv6 address, never IPv4.
    private static bool IsValidBracketedHost(ReadOnlySpan<byte> host)
    {
        if (host.StartsWith("v"u8))
        {
            int dot = host.IndexOf((byte)'.');
            return dot > 1 && dot < host.Length - 1 && host[1..dot].IndexOfAnyExcept(HttpCharacters.HexDigits) < 0;
        }

        // ipaddress.ip_address accepts a "%zone" suffix on IPv6 (Python 3.9+): non-empty, no second '%'.
        int percent = host.IndexOf((byte)'%');
        if (percent >= 0)
        {
            ReadOnlySpan<byte> zone = host[(percent + 1)..];
            if (zone.IsEmpty || zone.Contains((byte)'%'))
            {
                return false;
            }

            host = host[..percent];
        }

        Span<char> text = stackalloc char[Math.Min(host.Length, 64)];
        if (host.Length > text.Length)
        {
            return false;
        }

        for (int i = 0; i < host.Length; i++)
        {
            text[i] = (char)host[i];
        }

        return IpText.TryParseIPv6(text, out _);
    }
}
