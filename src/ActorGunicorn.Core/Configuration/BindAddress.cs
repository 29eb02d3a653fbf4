using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.Configuration;

/// <summary>
/// One address from the <c>bind</c> setting, in gunicorn's notation: <c>HOST:PORT</c>, <c>HOST</c> (port 8000),
/// <c>[IPV6]:PORT</c>, <c>[IPV6]</c>, <c>unix:PATH</c> or <c>fd://N</c>. <see cref="object.ToString"/> gives the
/// canonical form, which <see cref="Parse"/> reads back to an equal value.
/// </summary>
public abstract record BindAddress
{
    /// <summary>The port used when an address names only a host, as in gunicorn.</summary>
    public const int DefaultPort = 8000;

    private protected BindAddress()
    {
    }

    /// <summary>Parses one address.</summary>
    /// <param name="text">The address as written on the command line or in HOCON.</param>
    /// <returns>The address.</returns>
    /// <exception cref="SettingsException">The text is not a valid address; the message names <c>bind</c> and the text.</exception>
    public static BindAddress Parse(string text) =>
        TryParse(text, out var address, out var problem) ? address : throw new SettingsException(SettingsTable.Bind, problem);

    /// <summary>Parses one address without throwing.</summary>
    /// <param name="text">The address as written on the command line or in HOCON.</param>
    /// <param name="address">The address, when the text is valid.</param>
    /// <returns>Whether the text is a valid address.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out BindAddress? address) => TryParse(text, out address, out _);

    /// <summary>Parses one address, explaining a failure.</summary>
    /// <param name="text">The address as written on the command line or in HOCON.</param>
    /// <param name="address">The address, when the text is valid.</param>
    /// <param name="problem">When the text is invalid, why: a phrase that quotes the text.</param>
    /// <returns>Whether the text is a valid address.</returns>
    internal static bool TryParse(string text, [NotNullWhen(true)] out BindAddress? address, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reason = text switch
        {
            _ when text.StartsWith("unix:", StringComparison.Ordinal) => ParseUnix(text, out address),
            _ when text.StartsWith("fd://", StringComparison.Ordinal) => ParseDescriptor(text, out address),
            _ => ParseTcp(text.StartsWith("tcp://", StringComparison.Ordinal) ? text["tcp://".Length..] : text, out address),
        };
        problem = reason is null ? null : $"'{text}' is not a valid address: {reason}";
        return reason is null;
    }

    private static string? ParseUnix(string text, out BindAddress? address)
    {
        // gunicorn accepts both unix:PATH and unix://PATH.
        var path = text["unix:".Length..];
        path = path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
        address = path.Length > 0 ? new UnixBindAddress(path) : null;
        return address is null ? "no path after unix:" : null;
    }

    private static string? ParseDescriptor(string text, out BindAddress? address)
    {
        var digits = text["fd://".Length..];
        address = IsDigits(digits) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor)
            ? new FileDescriptorBindAddress(descriptor)
            : null;
        return address is null ? "the file descriptor must be a non-negative number" : null;
    }

    private static string? ParseTcp(string text, out BindAddress? address)
    {
        address = null;
        if (text.Length == 0)
        {
            return "it is empty";
        }

        string host;
        string? port;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "missing ']' after the IPv6 address";
            }

            if (!IPAddress.TryParse(text[1..close], out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"'{text[1..close]}' is not an IPv6 address";
            }

            host = ip.ToString();
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && !rest.StartsWith(':'))
            {
                return "only ':PORT' may follow ']'";
            }

            port = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            var parts = text.Split(':');
            if (parts.Length > 2)
            {
                return "write an IPv6 address in brackets, as [::1]:8000";
            }

            // An empty host (":8000") means every interface, as an empty host does for gunicorn's bind().
            host = parts[0].Length > 0 ? parts[0].ToLowerInvariant() : "0.0.0.0";
            port = parts.Length > 1 ? parts[1] : null;
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                return $"'{parts[0]}' is not a host name or IP address";
            }
        }

        var number = DefaultPort;
        if (port is not null && !(IsDigits(port) && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number <= IPEndPoint.MaxPort))
        {
            return "the port must be a number from 0 to 65535";
        }

        address = new TcpBindAddress(host, number);
        return null;
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}

/// <summary>A TCP address: a host name, IPv4 or IPv6 address, and a port.</summary>
/// <param name="Host">The host name or address, lower-case; IPv6 addresses without brackets, in canonical form.</param>
/// <param name="Port">The port, 0 to 65535 (0 lets the system choose).</param>
public sealed record TcpBindAddress(string Host, int Port) : BindAddress
{
    /// <summary>Whether <see cref="Host"/> is an IPv6 address.</summary>
    public bool IsIPv6 => Host.Contains(':', StringComparison.Ordinal);

    /// <summary>The canonical form: <c>HOST:PORT</c>, or <c>[IPV6]:PORT</c>.</summary>
    /// <returns>The address as gunicorn writes it.</returns>
    public override string ToString() =>
        (IsIPv6 ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A Unix domain socket.</summary>
/// <param name="Path">The socket's file system path.</param>
public sealed record UnixBindAddress(string Path) : BindAddress
{
    /// <summary>The canonical form, <c>unix:PATH</c>.</summary>
    /// <returns>The address as gunicorn writes it.</returns>
    public override string ToString() => "unix:" + Path;
}

/// <summary>A listening socket inherited as an open file descriptor, for example from systemd socket activation.</summary>
/// <param name="Descriptor">The file descriptor number.</param>
public sealed record FileDescriptorBindAddress(int Descriptor) : BindAddress
{
    /// <summary>The canonical form, <c>fd://N</c>.</summary>
    /// <returns>The address as gunicorn writes it.</returns>
    public override string ToString() => "fd://" + Descriptor.ToString(CultureInfo.InvariantCulture);
}
