using System.Net.Sockets;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>A listening Unix socket in a temporary directory, for acceptor and worker specs.</summary>
internal sealed class UnixListener : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorgunicorn-spec-").FullName;

    public UnixListener()
    {
        Path = System.IO.Path.Combine(_directory, "listener.sock");
        Socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Socket.Bind(new UnixDomainSocketEndPoint(Path));
        Socket.Listen(16);
    }

    public string Path { get; }

    public Socket Socket { get; }

    /// <summary>Connects a new client.</summary>
    public PeerSocket Connect()
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(Path));
        return PeerSocket.Over(client);
    }

    public void Dispose()
    {
        Socket.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
