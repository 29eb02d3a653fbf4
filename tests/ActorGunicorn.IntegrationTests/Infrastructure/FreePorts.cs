using System.Net;
using System.Net.Sockets;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>Loopback ports for servers a test starts with a fixed port (nginx, cluster nodes).</summary>
internal static class FreePorts
{
    /// <summary>A 127.0.0.1 port that was free a moment ago: nothing listens there now, so connecting is refused.</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
