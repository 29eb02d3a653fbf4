using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.Metrics;

/// <summary>Where StatsD listens, as gunicorn's <c>statsd_host</c> reads it: <c>HOST[:PORT]</c> (port 8125) or <c>unix://PATH</c>.</summary>
/// <param name="Host">The host name or address; null for a Unix socket.</param>
/// <param name="Port">The UDP port; 0 for a Unix socket.</param>
/// <param name="UnixPath">The Unix datagram socket's path, or null.</param>
public sealed record StatsdAddress(string? Host, int Port, string? UnixPath)
{
    /// <summary>gunicorn's default StatsD port.</summary>
    public const int DefaultPort = 8125;

    /// <summary>Parses <paramref name="text"/>, or says why it is no address.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out StatsdAddress? address, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        (address, problem) = (null, null);
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            if (path.Length == 0)
            {
                problem = $"'{text}' names no socket path";
                return false;
            }

            address = new StatsdAddress(null, 0, path);
            return true;
        }

        // [v6]:port, [v6], host:port, host, or a bare IPv6 address (several colons) with the default port.
        string host;
        string? portText = null;
        if (text.StartsWith('[') && text.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            host = text[1..close];
            portText = text.Length > close + 1 && text[close + 1] == ':' ? text[(close + 2)..] : null;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            (host, portText) = (text[..text.IndexOf(':')], text[(text.IndexOf(':') + 1)..]);
        }
        else
        {
            host = text;
        }

        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            problem = $"'{text}' has no valid port (HOST:PORT, 1 to 65535)";
            return false;
        }

        if (host.Length == 0)
        {
            problem = $"'{text}' names no host (HOST:PORT or unix://PATH)";
            return false;
        }

        address = new StatsdAddress(host, port, null);
        return true;
    }

    /// <summary>A datagram socket connected to the address, so that every metric is one send(2) without a lookup.</summary>
    /// <exception cref="SocketException">The host cannot be resolved or the socket cannot be connected.</exception>
    public Socket Connect()
    {
        if (UnixPath is not null)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            unix.Connect(new UnixDomainSocketEndPoint(UnixPath));
            return unix;
        }

        var ip = IPAddress.TryParse(Host, out var literal) ? literal : Dns.GetHostAddresses(Host!).First();
        var udp = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(new IPEndPoint(ip, Port));
        return udp;
    }

    /// <inheritdoc />
    public override string ToString() => UnixPath is not null ? "unix://" + UnixPath : $"{Host}:{Port}";
}
