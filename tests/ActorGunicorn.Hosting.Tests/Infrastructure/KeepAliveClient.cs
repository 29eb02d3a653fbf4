using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ActorGunicorn.Hosting.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 keep-alive connection on a raw socket, so a spec can tell that a second request travels on the same
/// connection as the first. Reads responses framed by Content-Length (what the server sends for these specs).
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _buffered;

    private KeepAliveClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<KeepAliveClient> ConnectAsync(EndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return new KeepAliveClient(socket);
    }

    /// <summary>Sends one request and reads its response: status, headers (lower-case names), body.</summary>
    public async Task<(int Status, IReadOnlyDictionary<string, string> Headers, string Body)> SendAsync(string method, string target, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var request = $"{method} {target} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token);
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            await FillAsync(deadline.Token);
        }

        var head = Encoding.ASCII.GetString(_buffer, 0, headEnd).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = head.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var length = int.Parse(headers["content-length"], System.Globalization.CultureInfo.InvariantCulture);
        int bodyStart = headEnd + 4;
        while (_buffered < bodyStart + length)
        {
            await FillAsync(deadline.Token);
        }

        var body = Encoding.UTF8.GetString(_buffer, bodyStart, length);
        Buffer.BlockCopy(_buffer, bodyStart + length, _buffer, 0, _buffered - bodyStart - length);
        _buffered -= bodyStart + length;
        return (status, headers, body);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private int IndexOfHeadEnd() => _buffer.AsSpan(0, _buffered).IndexOf("\r\n\r\n"u8);

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        int read = await _stream.ReadAsync(_buffer.AsMemory(_buffered), cancellationToken);
        if (read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _buffered += read;
    }
}
