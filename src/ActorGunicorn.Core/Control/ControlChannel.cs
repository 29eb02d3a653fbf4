using System.Buffers;
using System.Net.Sockets;

namespace ActorGunicorn.Control;

/// <summary>
/// One end of the arbiter–worker control channel: framed <see cref="IControlMessage"/>s over a Unix socketpair.
/// Sends are synchronous (frames are small and the peer is local); receives are asynchronous so that an actor can
/// pipe them to itself. End-of-stream means the other process is gone.
/// </summary>
public sealed class ControlChannel : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _prefix = new byte[ControlMessageSerializer.LengthPrefixSize];
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private readonly Lock _sendLock = new();

    /// <summary>Wraps a connected stream socket.</summary>
    /// <param name="socket">The socket; the channel owns and disposes it.</param>
    public ControlChannel(Socket socket) => _socket = socket;

    /// <summary>Sends one message. Safe to call from several threads.</summary>
    /// <exception cref="SocketException">The peer is gone.</exception>
    public void Send(IControlMessage message)
    {
        lock (_sendLock)
        {
            _sendBuffer.ResetWrittenCount();
            ControlMessageSerializer.WriteFrame(message, _sendBuffer);
            var frame = _sendBuffer.WrittenSpan;
            while (!frame.IsEmpty)
            {
                frame = frame[_socket.Send(frame)..];
            }
        }
    }

    /// <summary>Receives the next message, or null when the peer closed its end (it exited or was killed).</summary>
    /// <remarks>Not safe for concurrent callers: one reader at a time.</remarks>
    /// <exception cref="InvalidDataException">The peer sent a malformed frame.</exception>
    public async Task<IControlMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (!await FillAsync(_prefix, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        int length = ControlMessageSerializer.ReadLength(_prefix);
        var body = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!await FillAsync(body.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return ControlMessageSerializer.ReadBody(body.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>Receives the next message, blocking the calling thread (used before any actor system exists).</summary>
    public IControlMessage? Receive() => ReceiveAsync().GetAwaiter().GetResult();

    private async Task<bool> FillAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer[filled..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}
