using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.Http.Internal;

/// <summary>
/// Strict textual IP parsing, as <c>inet_pton</c> and Python's <c>ipaddress</c> do it. .NET's own parser also accepts
/// shorthand such as <c>127.1</c>, octal or hex parts, brackets and ports, which these callers must refuse.
/// </summary>
internal static class IpText
{
    /// <summary>Dotted-quad IPv4: four decimal parts 0-255, no leading zeros.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                continue;
            }

            ReadOnlySpan<char> digits = text[start..i];
            if (part == 4 || digits.IsEmpty || digits.Length > 3 || (digits.Length > 1 && digits[0] == '0'))
            {
                return false;
            }

            int value = 0;
            foreach (char c in digits)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            if (value > 255)
            {
                return false;
            }

            bytes[part++] = (byte)value;
            start = i + 1;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>IPv6 text (RFC 4291 2.2), optionally ending in a strict dotted quad; no zone, brackets or port.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || !text.Contains(':'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return false;
            }
        }

        int lastColon = text.LastIndexOf(':');
        ReadOnlySpan<char> tail = text[(lastColon + 1)..];
        if (tail.Contains('.') && !TryParseIPv4(tail, out _))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out IPAddress? parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
