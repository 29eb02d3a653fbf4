using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Configuration;

namespace ActorGunicorn.Cluster.Ctl;

/// <summary>
/// Whether anything listens at the contact before the cluster client is started: the client itself only retries
/// until its ask times out, so a typo in the port or an arbiter that is not running would cost the full wait and say
/// nothing about why.
/// </summary>
internal static class ContactProbe
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Why <paramref name="contact"/> cannot be reached, or null when a TCP connection to it succeeds.</summary>
    public static async Task<string?> ProblemAsync(ClusterEndpoint contact)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(contact.Host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(contact.Host).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return $"cannot resolve '{contact.Host}': {ex.Message}";
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(addresses, contact.Port, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return "nothing listens there (connection refused)";
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no answer to a TCP connection within {ConnectTimeout.TotalSeconds:0.0} s");
        }
    }
}
