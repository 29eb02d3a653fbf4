using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;
using ActorGunicorn.Transport;
using Xunit;

namespace ActorGunicorn.Core.Tests.Transport;

/// <summary>The arbiter's listener gates on real loopback sockets: which a stop closes, and which it opens again.</summary>
public sealed class ListenerGatesTests : IDisposable
{
    // A SYN the gate dropped is retransmitted after 1 s; a connect still pending after this long was not answered.
    private static readonly TimeSpan UnansweredWindow = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const int FDupFdCloexec = 1030;

    private readonly List<IDisposable> _owned = [];

    [Fact]
    public async Task A_stop_closes_the_gate_of_a_listener_this_server_bound_and_leaves_systemds_open()
    {
        var bound = Own(Listener.Bind(BindAddress.Parse("127.0.0.1:0"), 16, new BindOptions(false, 0, null, null)));
        var fromSystemd = Own(Listener.Inherit(Duplicate(Own(NewTcpListener())), 16, ListenerOrigin.Systemd, reusePort: false));
        var gates = new ListenerGates([bound, fromSystemd], upgradePeerExists: () => false);

        var gated = gates.CloseForStop();

        Assert.Equal([bound.Fd], gated);
        Assert.False(await ConnectsWithinAsync(bound, UnansweredWindow));
        Assert.True(await ConnectsWithinAsync(fromSystemd, Patience));
    }

    [Fact]
    public void While_a_usr2_peer_serves_on_the_same_sockets_a_stop_closes_no_gate()
    {
        var bound = Own(Listener.Bind(BindAddress.Parse("127.0.0.1:0"), 16, new BindOptions(false, 0, null, null)));
        var gates = new ListenerGates([bound], upgradePeerExists: () => true);

        Assert.Empty(gates.CloseForStop());
    }

    [Fact]
    public async Task An_fd_socket_someone_else_still_holds_is_opened_again_before_the_arbiter_closes_its_copy()
    {
        // The test is the "someone else" (a process manager that passed fd://N and keeps it).
        var kept = Own(NewTcpListener());
        var borrowed = Own(Listener.Inherit(Duplicate(kept), 16, ListenerOrigin.Descriptor, reusePort: false));
        var gates = new ListenerGates([borrowed], upgradePeerExists: () => false);
        Assert.Equal([borrowed.Fd], gates.CloseForStop());
        Assert.False(await ConnectsWithinAsync(borrowed, UnansweredWindow));

        gates.ReopenBorrowed();
        borrowed.Dispose();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(kept.LocalEndPoint!).WaitAsync(Patience);
        using var accepted = await kept.AcceptAsync().WaitAsync(Patience);
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static Socket NewTcpListener()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }

    // A second descriptor for the same socket, as a process that inherited it holds one.
    private static int Duplicate(Socket socket)
    {
        int fd = Libc.Fcntl((int)socket.Handle, FDupFdCloexec, 100);
        Assert.True(fd >= 0, Libc.LastError());
        return fd;
    }

    private async Task<bool> ConnectsWithinAsync(Listener listener, TimeSpan window)
    {
        var client = Own(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        var connect = client.ConnectAsync(listener.Socket.LocalEndPoint!);
        return await Task.WhenAny(connect, Task.Delay(window)) == connect && connect.IsCompletedSuccessfully;
    }
}
