using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

/// <summary>The listener gate on real loopback TCP and Unix sockets.</summary>
public sealed class ListenerGateTests
{
    // A SYN the gate dropped is retransmitted after 1 s; a connect still pending after this long was not answered.
    private static readonly TimeSpan UnansweredWindow = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task A_closed_tcp_gate_leaves_queued_connections_acceptable_and_leaves_new_ones_unanswered_until_reopened()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var address = (IPEndPoint)listener.LocalEndPoint!;
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await queued.ConnectAsync(address);

        ListenerGate.Close(listener);

        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var lateConnect = late.ConnectAsync(address);
        Assert.NotSame(lateConnect, await Task.WhenAny(lateConnect, Task.Delay(UnansweredWindow)));
        using (var accepted = await listener.AcceptAsync())
        {
            Assert.Equal(queued.LocalEndPoint, accepted.RemoteEndPoint);
        }

        ListenerGate.Reopen(listener);
        // The dropped SYN is retransmitted and now completes the handshake.
        await lateConnect.WaitAsync(TimeSpan.FromSeconds(10));
        using var second = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(late.LocalEndPoint, second.RemoteEndPoint);
    }

    [Fact]
    public async Task A_tcp_connection_attempted_through_a_closed_gate_is_refused_once_the_listener_is_closed()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var address = (IPEndPoint)listener.LocalEndPoint!;
        ListenerGate.Close(listener);
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var lateConnect = late.ConnectAsync(address);

        listener.Dispose();

        var refused = await Assert.ThrowsAsync<SocketException>(() => lateConnect.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_closed_unix_gate_refuses_new_connections_at_once_and_leaves_queued_ones_acceptable()
    {
        var directory = Directory.CreateTempSubdirectory("actorgunicorn-gate-").FullName;
        try
        {
            var path = new UnixDomainSocketEndPoint(Path.Combine(directory, "gate.sock"));
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(path);
            listener.Listen(16);
            using var queued = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await queued.ConnectAsync(path);

            ListenerGate.Close(listener);

            using var late = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var refused = await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(path));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            using var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await accepted.SendAsync("x"u8.ToArray());
            var buffer = new byte[1];
            Assert.Equal(1, await queued.ReceiveAsync(buffer));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
