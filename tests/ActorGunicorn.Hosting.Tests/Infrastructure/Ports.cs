using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>Loopback ports: a free one for a process that needs it on its command line, and whether one is free.</summary>
internal static class Ports
{
    /// <summary>A port the kernel just handed out and that is free again.</summary>
    public static int Free()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Whether a server can listen on <paramref name="endPoint"/> now: no socket is bound to it any more. With
    /// SO_REUSEADDR, as servers bind, so the closed connections' TIME_WAIT entries do not count.
    /// </summary>
    public static bool CanBind(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            probe.Bind(endPoint);
            probe.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
