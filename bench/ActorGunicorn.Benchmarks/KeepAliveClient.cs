using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorGunicorn.Benchmarks;

/// <summary>
/// One keep-alive connection that sends the same request and reads the whole response, synchronously and without
/// allocating, so every allocation a round trip shows is the server's.
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _request;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly int _responseLength;

    private KeepAliveClient(Socket socket, byte[] request, int responseLength)
    {
        _socket = socket;
        _request = request;
        _responseLength = responseLength;
    }

    /// <summary>The first response's bytes (every later one has the same length: the Date value is fixed-width).</summary>
    public byte[] FirstResponse { get; private init; } = [];

    /// <summary>Connects and makes a first round trip to learn the response's length.</summary>
    public static KeepAliveClient Connect(int port, byte[] request)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        socket.Send(request);
        var response = ReadOneResponse(socket);
        if (!response.AsSpan().StartsWith("HTTP/1.1 200 "u8))
        {
            socket.Dispose();
            throw new InvalidOperationException($"Expected a 200, got: {Encoding.Latin1.GetString(response)}");
        }

        return new KeepAliveClient(socket, request, response.Length) { FirstResponse = response };
    }

    /// <summary>Sends the request and reads its response; returns the response's length.</summary>
    public int RoundTrip()
    {
        _socket.Send(_request);
        int received = 0;
        while (received < _responseLength)
        {
            int read = _socket.Receive(_buffer.AsSpan(received, _responseLength - received));
            if (read == 0)
            {
                throw new InvalidOperationException("The server closed the keep-alive connection.");
            }

            received += read;
        }

        return received;
    }

    public void Dispose() => _socket.Dispose();

    // A head, then a Content-Length body: enough HTTP for the responses these benchmarks ask for.
    private static byte[] ReadOneResponse(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        int filled = 0;
        while (true)
        {
            int read = socket.Receive(buffer.AsSpan(filled));
            if (read == 0)
            {
                throw new InvalidOperationException("The server closed the connection before answering.");
            }

            filled += read;
            int headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (headEnd >= 0 && filled >= headEnd + 4 + ContentLength(buffer.AsSpan(0, headEnd)))
            {
                return buffer.AsSpan(0, filled).ToArray();
            }
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        const string name = "\r\nContent-Length: ";
        string text = Encoding.Latin1.GetString(head);
        int at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            throw new InvalidOperationException($"The response has no Content-Length: {text}");
        }

        int start = at + name.Length;
        int end = text.IndexOf("\r\n", start, StringComparison.Ordinal);
        return int.Parse(text.AsSpan(start, (end < 0 ? text.Length : end) - start), System.Globalization.CultureInfo.InvariantCulture);
    }
}
