using System.Net.Sockets;

namespace ActorGunicorn.ControlSocket;

/// <summary>
/// One connected control socket, either end: reads whole frames (keeping any bytes of the next one) and writes
/// frames. Not thread-safe: one read and one write at a time, as both ends take turns.
/// </summary>
internal sealed class ControlConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[1024];
    private int _start;
    private int _end;

    public ControlConnection(Socket socket) => _socket = socket;

    /// <summary>Connects to the server at <paramref name="path"/> (client side).</summary>
    /// <param name="path">The control socket.</param>
    /// <param name="cancellation">Cancels the connect (a timeout).</param>
    public async Task ConnectAsync(string path, CancellationToken cancellation) =>
        await _socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation).ConfigureAwait(false);

    /// <summary>Reads the next frame.</summary>
    /// <param name="maxPayload">The largest payload accepted.</param>
    /// <param name="cancellation">Cancels the wait (a timeout).</param>
    /// <returns>The frame, or how the stream ended.</returns>
    public async Task<ControlFrameRead> ReadFrameAsync(int maxPayload, CancellationToken cancellation)
    {
        while (true)
        {
            var status = ControlFrame.Decode(_buffer.AsSpan(_start, _end - _start), maxPayload, out uint length);
            if (status == ControlFrameStatus.TooLarge)
            {
                return new ControlFrameRead.TooLarge(length);
            }

            if (status == ControlFrameStatus.Complete)
            {
                var payload = _buffer.AsSpan(_start + ControlFrame.HeaderBytes, (int)length).ToArray();
                _start += ControlFrame.HeaderBytes + (int)length;
                return new ControlFrameRead.Frame(payload);
            }

            MakeRoom(length);
            int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (received == 0)
            {
                return _end == _start ? ControlFrameRead.Closed.Instance : ControlFrameRead.Truncated.Instance;
            }

            _end += received;
        }
    }

    /// <summary>Writes one frame.</summary>
    /// <param name="payload">The JSON bytes.</param>
    /// <param name="cancellation">Cancels the write (a timeout).</param>
    public async Task WriteFrameAsync(byte[] payload, CancellationToken cancellation)
    {
        var frame = ControlFrame.Encode(payload);
        await _socket.SendAsync(frame, SocketFlags.None, cancellation).ConfigureAwait(false);
    }

    public void Dispose() => _socket.Dispose();

    // Keeps the unread bytes at the front, and grows the buffer to hold the frame being read.
    private void MakeRoom(uint declaredLength)
    {
        int buffered = _end - _start;
        int needed = Math.Max(buffered + 1, ControlFrame.HeaderBytes + (int)declaredLength);
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, buffered);
            (_start, _end) = (0, buffered);
        }

        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, needed);
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}

/// <summary>What <see cref="ControlConnection.ReadFrameAsync"/> read.</summary>
internal abstract record ControlFrameRead
{
    private ControlFrameRead()
    {
    }

    /// <summary>A whole frame.</summary>
    /// <param name="Payload">Its JSON bytes.</param>
    public sealed record Frame(byte[] Payload) : ControlFrameRead;

    /// <summary>The prefix announced more than allowed: the stream cannot be followed further.</summary>
    /// <param name="DeclaredLength">The announced payload length.</param>
    public sealed record TooLarge(uint DeclaredLength) : ControlFrameRead;

    /// <summary>The peer closed between frames.</summary>
    public sealed record Closed : ControlFrameRead
    {
        public static readonly Closed Instance = new();
    }

    /// <summary>The peer closed in the middle of a frame.</summary>
    public sealed record Truncated : ControlFrameRead
    {
        public static readonly Truncated Instance = new();
    }
}
