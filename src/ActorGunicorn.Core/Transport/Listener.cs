using System.Net;
using System.Net.Sockets;
using ActorGunicorn.Configuration;
using ActorGunicorn.Interop;

namespace ActorGunicorn.Transport;

/// <summary>
/// A listening socket owned by the arbiter and inherited by every worker process, as in gunicorn's pre-fork model:
/// the kernel spreads accepted connections across the workers that wait on it.
/// </summary>
internal sealed class Listener : IDisposable
{
    private Listener(BindAddress address, Socket socket)
    {
        Address = address;
        Socket = socket;
    }

    /// <summary>The address this listener was asked to bind.</summary>
    public BindAddress Address { get; }

    /// <summary>The listening socket.</summary>
    public Socket Socket { get; }

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
    /// <exception cref="SocketException">The address cannot be bound (for example it is in use).</exception>
    public static Listener Bind(BindAddress address, int backlog)
    {
        var socket = address switch
        {
            TcpBindAddress tcp => BindTcp(tcp, backlog),
            UnixBindAddress unix => BindUnix(unix, backlog),
            FileDescriptorBindAddress fd => Adopt(fd.Descriptor, backlog),
            _ => throw new ArgumentOutOfRangeException(nameof(address), address, "unknown bind address kind"),
        };

        try
        {
            Libc.SetInheritable((int)socket.Handle, inheritable: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new Listener(address, socket);
    }

    /// <summary>Wraps an inherited, already listening descriptor (worker side).</summary>
    public static Socket FromInheritedDescriptor(int fd)
    {
        var socket = new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true));
        // Accepted connections must not leak into processes the application spawns.
        Libc.SetInheritable(fd, inheritable: false);
        return socket;
    }

    private static Socket BindTcp(TcpBindAddress tcp, int backlog)
    {
        var ip = ResolveHost(tcp.Host);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Like gunicorn: rebinding right after a restart must not fail on sockets in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.NoDelay = true;
            socket.Bind(new IPEndPoint(ip, tcp.Port));
            socket.Listen(backlog);
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

    private static Socket BindUnix(UnixBindAddress unix, int backlog)
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

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(unix.Path));
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket Adopt(int fd, int backlog)
    {
        var socket = new Socket(new SafeSocketHandle((IntPtr)fd, ownsHandle: true));
        // An adopted descriptor (systemd, fd://N) is already bound; listen again only to apply our backlog.
        socket.Listen(backlog);
        return socket;
    }

    /// <inheritdoc />
    public void Dispose() => Socket.Dispose();
}
