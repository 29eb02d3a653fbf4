using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>Where a listener's socket came from, which decides whether its Unix socket file may be removed.</summary>
internal enum ListenerOrigin
{
    /// <summary>Bound by this arbiter from a <c>--bind</c> address.</summary>
    Bound,

    /// <summary>Inherited from the arbiter that started this one with USR2 (<c>ACTORGUNICORN_FD</c>).</summary>
    Upgrade,

    /// <summary>Passed by systemd socket activation (<c>LISTEN_FDS</c>), directly or through a USR2 parent.</summary>
    Systemd,

    /// <summary>An open descriptor named by <c>--bind fd://N</c>.</summary>
    Descriptor,
}

/// <summary>
/// A listening socket owned by the arbiter and inherited by every worker process, as in gunicorn's pre-fork model:
/// the kernel spreads accepted connections across the workers that wait on it. With <c>--reuse-port</c> a TCP
/// listener is only bound, not listening: it holds the address while each worker listens on a socket of its own.
/// </summary>
internal sealed class Listener : IDisposable
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private Listener(BindAddress address, Socket socket, ListenerOrigin origin)
    {
        Address = address;
        Socket = socket;
        Origin = origin;
    }

    /// <summary>The address: as asked for when bound here, as the socket reports it when inherited.</summary>
    public BindAddress Address { get; }

    /// <summary>The socket.</summary>
    public Socket Socket { get; }

    /// <summary>Where the socket came from.</summary>
    public ListenerOrigin Origin { get; }

    /// <summary>True when the socket is bound but not listening: each worker listens on its own SO_REUSEPORT socket.</summary>
    public bool IsPerWorker => !IsListening(Socket);

    /// <summary>The descriptor number, which is the same in every worker (exec keeps descriptor numbers).</summary>
    public int Fd => (int)Socket.Handle;

    /// <summary>Where the listener really listens, as gunicorn logs it: <c>http://127.0.0.1:8000</c> or <c>unix:/run/app.sock</c>.</summary>
    public string Describe(bool tls = false) => Socket.LocalEndPoint switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"{(tls ? "https" : "http")}://[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"{(tls ? "https" : "http")}://{ip.Address}:{ip.Port}",
        UnixDomainSocketEndPoint unix => $"unix:{unix}",
        var other => other?.ToString() ?? Address.ToString(),
    };

    /// <summary>Creates and binds a listener, then marks it inheritable so that spawned workers receive it.</summary>
    /// <param name="address">A TCP or Unix address (<c>fd://</c> addresses are inherited, see <see cref="Inherit"/>).</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <param name="options">SO_REUSEPORT, and the mode and owner of a Unix socket file.</param>
    /// <exception cref="SocketException">The address cannot be bound (for example it is in use).</exception>
    public static Listener Bind(BindAddress address, int backlog, BindOptions options)
    {
        var socket = address switch
        {
            TcpBindAddress tcp => BindTcp(tcp, backlog, options.ReusePort),
            UnixBindAddress unix => BindUnix(unix, backlog, options),
            _ => throw new ArgumentOutOfRangeException(nameof(address), address, "only TCP and Unix addresses are bound"),
        };

        return Inheritable(new Listener(address, socket, ListenerOrigin.Bound));
    }

    /// <summary>
    /// Wraps a descriptor that is already bound (systemd, <c>fd://N</c>, or an arbiter upgraded with USR2), reading its
    /// address from the socket itself as gunicorn does with <c>getsockname()</c>. A listening socket gets our backlog;
    /// a TCP socket that is only bound (a USR2 parent's <c>--reuse-port</c> address) stays so when
    /// <paramref name="reusePort"/> is set, and is made to listen otherwise.
    /// </summary>
    /// <exception cref="SocketException">The descriptor is not a usable socket.</exception>
    public static Listener Inherit(int fd, int backlog, ListenerOrigin origin, bool reusePort)
    {
        var socket = new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true));
        try
        {
            if (socket.SocketType != SocketType.Stream)
            {
                throw new SocketException((int)SocketError.SocketNotSupported);
            }

            bool keepBoundOnly = reusePort && socket.ProtocolType == ProtocolType.Tcp && !IsListening(socket);
            if (!keepBoundOnly)
            {
                socket.Listen(backlog);
            }

            return Inheritable(new Listener(AddressOf(socket, fd), socket, origin));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an inherited, already listening descriptor (worker side).</summary>
    public static Socket FromInheritedDescriptor(int fd)
    {
        var socket = new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true));
        // Accepted connections must not leak into processes the application spawns.
        Libc.SetInheritable(fd, inheritable: false);
        return socket;
    }

    /// <summary>
    /// A worker's own listener on the address of a per-worker (<c>--reuse-port</c>) socket the arbiter holds: same
    /// address, SO_REUSEPORT, listening. The kernel then balances new connections across the workers' sockets.
    /// </summary>
    public static Socket ListenOnSameAddress(Socket bound, int backlog)
    {
        var endPoint = (IPEndPoint)(bound.LocalEndPoint ?? throw new SocketException((int)SocketError.NotSocket));
        var socket = NewTcpSocket(endPoint.AddressFamily, reusePort: true);
        try
        {
            socket.Bind(endPoint);
            // Already listening; this tells the .NET socket so, which it does not learn from the descriptor.
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="socket"/> is listening (SO_ACCEPTCONN), false when it is only bound.</summary>
    public static bool IsListening(Socket socket) =>
        socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is int value and not 0;

    private static Listener Inheritable(Listener listener)
    {
        try
        {
            Libc.SetInheritable(listener.Fd, inheritable: true);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static BindAddress AddressOf(Socket socket, int fd) => socket.LocalEndPoint switch
    {
        IPEndPoint ip => new TcpBindAddress(ip.Address.ToString(), ip.Port),
        UnixDomainSocketEndPoint unix when unix.ToString() is { Length: > 0 } path => new UnixBindAddress(path),
        _ => new FileDescriptorBindAddress(fd),
    };

    private static Socket BindTcp(TcpBindAddress tcp, int backlog, bool reusePort)
    {
        var ip = ResolveHost(tcp.Host);
        var socket = NewTcpSocket(ip.AddressFamily, reusePort);
        try
        {
            socket.Bind(new IPEndPoint(ip, tcp.Port));
            // With --reuse-port the arbiter only holds the address: a listening socket here would join the kernel's
            // SO_REUSEPORT group and be handed a share of the connections that nobody ever accepts.
            if (!reusePort)
            {
                socket.Listen(backlog);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket NewTcpSocket(AddressFamily family, bool reusePort)
    {
        var socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Like gunicorn: rebinding right after a restart must not fail on sockets in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (reusePort)
            {
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.NoDelay = true;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress ResolveHost(string host)
    {
        if (IPAddress.TryParse(host, out var ip))
        {
            return ip;
        }

        var addresses = Dns.GetHostAddresses(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    private static Socket BindUnix(UnixBindAddress unix, int backlog, BindOptions options)
    {
        // A socket file left by a previous run is replaced; any other file is never deleted.
        if (File.Exists(unix.Path))
        {
            if (!Libc.IsSocketFile(unix.Path))
            {
                throw new IOException($"'{unix.Path}' exists and is not a socket");
            }

            File.Delete(unix.Path);
        }

        // The socket file's mode is 0777 less the umask at bind time; as in gunicorn, --umask applies only here.
        int fd;
        uint previous = Libc.Umask((uint)options.Umask);
        try
        {
            fd = Libc.ListenOnUnixSocket(unix.Path, backlog);
        }
        finally
        {
            _ = Libc.Umask(previous);
        }

        var socket = new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true));
        try
        {

            if ((options.OwnerUid ?? uint.MaxValue) != uint.MaxValue || (options.OwnerGid ?? uint.MaxValue) != uint.MaxValue)
            {
                // chown(2) leaves an id of -1 unchanged.
                if (Libc.Chown(unix.Path, options.OwnerUid ?? uint.MaxValue, options.OwnerGid ?? uint.MaxValue) != 0)
                {
                    throw new IOException($"cannot give '{unix.Path}' to the worker user: {Libc.LastError()}");
                }
            }

            // Already listening; this tells the .NET socket so, which it does not learn from the descriptor.
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Socket.Dispose();
}

/// <summary>How the arbiter binds its addresses.</summary>
/// <param name="ReusePort">Set SO_REUSEPORT on TCP sockets and leave them bound but not listening (<c>--reuse-port</c>).</param>
/// <param name="Umask">The file mode mask a Unix socket file is created under (<c>--umask</c>).</param>
/// <param name="OwnerUid">The owner to give a Unix socket file (the workers' <c>--user</c>), or null.</param>
/// <param name="OwnerGid">The group to give a Unix socket file (the workers' <c>--group</c>), or null.</param>
internal sealed record BindOptions(bool ReusePort, int Umask, uint? OwnerUid, uint? OwnerGid);
