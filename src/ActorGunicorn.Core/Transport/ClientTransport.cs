using System.Net.Security;
using System.Net.Sockets;

namespace ActorGunicorn.Transport;

/// <summary>
/// A client connection's byte stream: the socket itself, or TLS over it. Connection, exchange and body reader go
/// through it, so they are the same code for both; only sendfile(2) and draining bytes the kernel holds need the
/// plain socket.
/// </summary>
internal sealed class ClientTransport : IDisposable
{
    private readonly SslStream? _tls;

    public ClientTransport(Socket socket, ServerTls? tls)
    {
        Socket = socket;
        _tls = tls is null ? null : new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
    }

    /// <summary>The connection's socket (its endpoints; raw I/O only when <see cref="IsTls"/> is false).</summary>
    public Socket Socket { get; }

    /// <summary>Whether the bytes are TLS records.</summary>
    public bool IsTls => _tls is not null;

    /// <summary>Runs the TLS handshake.</summary>
    public Task AuthenticateAsync(ServerTls tls, CancellationToken cancellationToken) =>
        _tls!.AuthenticateAsServerAsync(tls.Options, cancellationToken);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _tls is null ? Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) : _tls.ReadAsync(buffer, cancellationToken);

    /// <summary>Sends every byte.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_tls is not null)
        {
            await _tls.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!bytes.IsEmpty)
        {
            int sent = await Socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Sends a short message synchronously (an error page), as far as the socket buffer takes it.</summary>
    public void SendNow(ReadOnlySpan<byte> bytes)
    {
        if (_tls is not null)
        {
            _tls.Write(bytes);
        }
        else
        {
            Socket.Send(bytes, SocketFlags.None);
        }
    }

    /// <summary>Bytes the kernel holds that can be read without waiting; TLS cannot tell, so 0.</summary>
    public int Available => _tls is null ? Socket.Available : 0;

    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>
    /// Closes the connection with a FIN, as gunicorn's close does. The send side is shut down first because .NET
    /// closes a socket that still has an operation pending (an idle connection always has its receive) abortively,
    /// with SO_LINGER 0, unless that was done: the client would read ECONNRESET instead of end of stream. Bytes the
    /// client sent and nobody read still make the kernel answer with a reset; the connection lingers for those.
    /// </summary>
    public void Dispose()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Not connected any more (the client reset it): there is nothing left to end cleanly.
        }

        _tls?.Dispose();
        Socket.Dispose();
    }
}
