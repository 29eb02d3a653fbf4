using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using ActorGunicorn.Http.Internal;

namespace ActorGunicorn.Http;

/*
 * PROXY protocol (haproxy's proxy-protocol.txt), as gunicorn's Request._handle_proxy_protocol reads it, only at the
 * start of a connection:
 *   - v2 when the mode allows it and the input starts with the 12-byte signature \r\n\r\n\0\r\nQUIT\n;
 *     v1 when the mode allows it and the input starts with "PROXY "; anything else is plain HTTP, even with the
 *     feature on.
 *   - Either header from a peer outside proxy_allow_ips fails with ForbiddenProxyRequest (403), before parsing.
 *   - v1: one line up to CRLF, exactly six fields split on single spaces: PROXY, TCP4|TCP6 (UNKNOWN is refused),
 *     source and destination addresses valid for that family (inet_pton), ports 0-65535 -> else InvalidProxyLine.
 *     Stricter than gunicorn: the line is at most 107 bytes (the spec's maximum) and ports are plain digits.
 *   - v2: version nibble 2, command LOCAL (0) or PROXY (1); for PROXY the transport must be STREAM and the family
 *     INET (12 address bytes), INET6 (36) or UNSPEC; TLVs are skipped -> else InvalidProxyHeader.
 */

/// <summary>Reads the PROXY protocol header (v1 or v2) that a load balancer may put before the first request.</summary>
public sealed class ProxyProtocolParser
{
    /// <summary>The longest v1 line the specification allows, CRLF included.</summary>
    public const int MaxV1LineLength = 107;

    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private readonly ProxyProtocolMode _mode;

    /// <summary>Creates a parser accepting the header versions of <paramref name="mode"/>.</summary>
    public ProxyProtocolParser(ProxyProtocolMode mode) => _mode = mode;

    /// <summary>Tries to read a PROXY header from the start of a connection's input. Stateless: call it again with more bytes after Incomplete.</summary>
    /// <param name="buffer">The connection's first bytes.</param>
    /// <param name="peerIsAllowed">Whether the peer may send a PROXY header (<c>proxy_allow_ips</c>; always true for Unix sockets).</param>
    /// <param name="info">The header's content, on Complete.</param>
    /// <param name="consumed">Where the header ends on Complete; the buffer start otherwise.</param>
    /// <param name="examined">How far the input was looked at.</param>
    /// <param name="rejection">Why the header was refused, on Rejected.</param>
    public ProxyParseStatus TryParse(
        in ReadOnlySequence<byte> buffer, bool peerIsAllowed, out ProxyProtocolInfo? info,
        out SequencePosition consumed, out SequencePosition examined, out HttpRejection? rejection)
    {
        info = null;
        rejection = null;
        consumed = buffer.Start;
        examined = buffer.End;
        Span<byte> start = stackalloc byte[V2Signature.Length];
        int have = (int)Math.Min(start.Length, buffer.Length);
        buffer.Slice(0, have).CopyTo(start);
        start = start[..have];

        bool maybeV2 = _mode is ProxyProtocolMode.V2 or ProxyProtocolMode.Auto && V2Signature.AsSpan().StartsWith(start);
        bool maybeV1 = _mode is ProxyProtocolMode.V1 or ProxyProtocolMode.Auto && "PROXY "u8.StartsWith(start[..Math.Min(have, 6)]);
        if (!maybeV2 && !maybeV1)
        {
            consumed = examined = buffer.Start;
            return ProxyParseStatus.NotProxy;
        }

        bool isV2 = maybeV2 && have == V2Signature.Length;
        bool isV1 = maybeV1 && have >= 6;
        if (!isV1 && !isV2)
        {
            return ProxyParseStatus.Incomplete;
        }

        if (!peerIsAllowed)
        {
            rejection = Rejections.ProxyForbidden();
            return ProxyParseStatus.Rejected;
        }

        long headerLength = isV2 ? ParseV2(buffer, out info, out rejection) : ParseV1(buffer, out info, out rejection);
        if (rejection is not null)
        {
            return ProxyParseStatus.Rejected;
        }

        if (headerLength < 0)
        {
            return ProxyParseStatus.Incomplete;
        }

        consumed = examined = buffer.GetPosition(headerLength);
        return ProxyParseStatus.Complete;
    }

    private static long ParseV1(in ReadOnlySequence<byte> buffer, out ProxyProtocolInfo? info, out HttpRejection? rejection)
    {
        info = null;
        rejection = null;
        long scanned = 0;
        long lineEnd = SequenceSearch.IndexOf(buffer, 0, "\r\n"u8, ref scanned);
        if (lineEnd < 0 || lineEnd + 2 > MaxV1LineLength)
        {
            if (lineEnd >= 0 || buffer.Length >= MaxV1LineLength)
            {
                rejection = Rejections.ProxyLine("line longer than 107 bytes");
            }

            return -1;
        }

        Span<byte> line = stackalloc byte[(int)lineEnd];
        buffer.Slice(0, lineEnd).CopyTo(line);
        Span<Range> fields = stackalloc Range[6];
        if (SplitOnSpaces(line, fields) != 6)
        {
            rejection = Rejections.ProxyLine(line);
            return -1;
        }

        ReadOnlySpan<byte> protocol = line[fields[1]];
        bool v4 = protocol.SequenceEqual("TCP4"u8);
        if (!v4 && !protocol.SequenceEqual("TCP6"u8))
        {
            rejection = Rejections.ProxyLine($"protocol '{Encoding.Latin1.GetString(protocol)}' not supported");
            return -1;
        }

        if (!TryParseAddress(line[fields[2]], v4, out IPAddress? source) || !TryParseAddress(line[fields[3]], v4, out IPAddress? destination))
        {
            rejection = Rejections.ProxyLine(line);
            return -1;
        }

        if (!TryParsePort(line[fields[4]], out int sourcePort) || !TryParsePort(line[fields[5]], out int destinationPort))
        {
            rejection = Rejections.ProxyLine("invalid port " + Encoding.Latin1.GetString(line));
            return -1;
        }

        info = new ProxyProtocolInfo(v4 ? "TCP4" : "TCP6", source, sourcePort, destination, destinationPort);
        return lineEnd + 2;
    }

    private static long ParseV2(in ReadOnlySequence<byte> buffer, out ProxyProtocolInfo? info, out HttpRejection? rejection)
    {
        info = null;
        rejection = null;
        if (buffer.Length < 16)
        {
            return -1;
        }

        Span<byte> fixedPart = stackalloc byte[4];
        buffer.Slice(12, 4).CopyTo(fixedPart);
        int version = fixedPart[0] >> 4;
        int command = fixedPart[0] & 0x0F;
        int family = fixedPart[1] >> 4;
        int transport = fixedPart[1] & 0x0F;
        int length = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]);
        if (version != 2)
        {
            rejection = Rejections.ProxyHeader($"unsupported version {version}");
            return -1;
        }

        if (command > 1)
        {
            rejection = Rejections.ProxyHeader($"unsupported command {command}");
            return -1;
        }

        long total = 16 + length;
        if (buffer.Length < total)
        {
            return -1;
        }

        if (command == 0)
        {
            info = new ProxyProtocolInfo("LOCAL", null, null, null, null);
            return total;
        }

        if (transport != 1)
        {
            rejection = Rejections.ProxyHeader("only TCP protocol is supported");
            return -1;
        }

        int addressLength = family switch
        {
            1 => 4,
            2 => 16,
            0 => 0,
            _ => -1,
        };
        if (addressLength < 0)
        {
            rejection = Rejections.ProxyHeader($"unsupported address family {family}");
            return -1;
        }

        if (addressLength == 0)
        {
            info = new ProxyProtocolInfo("UNSPEC", null, null, null, null);
            return total;
        }

        if (length < addressLength * 2 + 4)
        {
            rejection = Rejections.ProxyHeader(family == 1 ? "insufficient address data for IPv4" : "insufficient address data for IPv6");
            return -1;
        }

        Span<byte> addresses = stackalloc byte[addressLength * 2 + 4];
        buffer.Slice(16, addresses.Length).CopyTo(addresses);
        info = new ProxyProtocolInfo(
            family == 1 ? "TCP4" : "TCP6",
            new IPAddress(addresses[..addressLength]),
            BinaryPrimitives.ReadUInt16BigEndian(addresses[(addressLength * 2)..]),
            new IPAddress(addresses[addressLength..(addressLength * 2)]),
            BinaryPrimitives.ReadUInt16BigEndian(addresses[(addressLength * 2 + 2)..]));
        return total;
    }

    // str.split(" "): every single space separates, so doubled spaces give empty fields. Counts up to 7.
    private static int SplitOnSpaces(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        int count = 0;
        int start = 0;
        while (true)
        {
            int space = line[start..].IndexOf((byte)' ');
            int end = space < 0 ? line.Length : start + space;
            if (count == fields.Length)
            {
                return count + 1;
            }

            fields[count++] = new Range(start, end);
            if (space < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    private static bool TryParseAddress(ReadOnlySpan<byte> text, bool v4, out IPAddress? address)
    {
        Span<char> chars = stackalloc char[text.Length];
        Encoding.Latin1.GetChars(text, chars);
        return v4 ? IpText.TryParseIPv4(chars, out address) : IpText.TryParseIPv6(chars, out address);
    }

    private static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 5 || text.IndexOfAnyExcept(HttpCharacters.Digits) >= 0)
        {
            return false;
        }

        foreach (byte digit in text)
        {
            port = port * 10 + (digit - '0');
        }

        return port <= 65535;
    }
}
