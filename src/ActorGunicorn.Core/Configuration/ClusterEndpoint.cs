using System.Globalization;

namespace ActorGunicorn.Configuration;

/// <summary>A cluster node's remoting address as an operator writes it: <c>HOST:PORT</c> (<c>[::1]:4053</c> for IPv6).</summary>
/// <param name="Host">The host name or IP address, without brackets.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
public sealed record ClusterEndpoint(string Host, int Port)
{
    /// <summary>Reads <c>HOST:PORT</c>.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="endpoint">The endpoint, when the text is one.</param>
    /// <returns>Whether <paramref name="text"/> is a host and a port from 1 to 65535.</returns>
    public static bool TryParse(string? text, out ClusterEndpoint endpoint)
    {
        endpoint = new ClusterEndpoint(string.Empty, 0);
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        // An IPv6 address must be bracketed, or "::1:80" could be a host ::1 on port 80 or a bare address.
        var host = text[..colon];
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }

        var isIPv6 = Uri.CheckHostName(host) == UriHostNameType.IPv6;
        if (host.Length == 0 || bracketed != isIPv6 || host.Any(char.IsWhiteSpace))
        {
            return false;
        }

        endpoint = new ClusterEndpoint(host, port);
        return true;
    }

    /// <summary>Formats the endpoint as <c>HOST:PORT</c>, bracketing an IPv6 address.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
