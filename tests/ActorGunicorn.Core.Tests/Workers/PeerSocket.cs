using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>
/// The client's end of a connection in actor specs: one end of a Unix socketpair, so a connection actor gets a real
/// socket with no network, ports or listener involved. Responses are read strictly (Content-Length or chunked).
/// </summary>
internal sealed class PeerSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _buffered = [];

    private PeerSocket(Socket socket) => _socket = socket;

    /// <summary>Makes a connected pair: the server end for the actor under test, and the client end.</summary>
    public static (Socket Server, PeerSocket Client) CreatePair()
    {
        var pair = SocketPair.Create();
        var client = new Socket(new SafeSocketHandle((IntPtr)pair.ChildFd, ownsHandle: true));
        return (pair.ParentEnd, new PeerSocket(client));
    }

    /// <summary>Wraps an already connected socket.</summary>
    public static PeerSocket Over(Socket socket) => new(socket);

    public void Send(string bytes) => _socket.Send(Encoding.Latin1.GetBytes(bytes));

    /// <summary>Reads one response as (status line, headers, body).</summary>
    public (string StatusLine, Dictionary<string, string> Headers, string Body) ReadResponse(TimeSpan? timeout = null)
    {
        _socket.ReceiveTimeout = (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
        var statusLine = ReadLine();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = ReadLine(); line.Length > 0; line = ReadLine())
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        string body;
        if (headers.TryGetValue("Content-Length", out var length))
        {
            body = Encoding.Latin1.GetString(ReadExactly(int.Parse(length, CultureInfo.InvariantCulture)));
        }
        else
        {
            var text = new StringBuilder();
            for (int size = int.Parse(ReadLine(), NumberStyles.HexNumber, CultureInfo.InvariantCulture); size > 0; size = int.Parse(ReadLine(), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            {
                text.Append(Encoding.Latin1.GetString(ReadExactly(size)));
                ReadLine();
            }

            ReadLine();
            body = text.ToString();
        }

        return (statusLine, headers, body);
    }

    /// <summary>Reads until <paramref name="text"/> has arrived, and returns everything up to and including it.</summary>
    public string ReadUntil(string text, TimeSpan? timeout = null)
    {
        _socket.ReceiveTimeout = (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
        var marker = Encoding.Latin1.GetBytes(text);
        while (true)
        {
            int at = _buffered.ToArray().AsSpan().IndexOf(marker);
            if (at >= 0)
            {
                var upTo = Encoding.Latin1.GetString(_buffered.GetRange(0, at + marker.Length).ToArray());
                _buffered.RemoveRange(0, at + marker.Length);
                return upTo;
            }

            Fill();
        }
    }

    /// <summary>True when the server closed its end: a read returns end of stream within the timeout.</summary>
    public bool ReadsEndOfStream(TimeSpan timeout)
    {
        if (_buffered.Count > 0)
        {
            return false;
        }

        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var one = new byte[1];
        try
        {
            return _socket.Receive(one) == 0;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private string ReadLine()
    {
        while (true)
        {
            int lf = _buffered.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffered.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _buffered.RemoveRange(0, lf + 1);
                return line;
            }

            Fill();
        }
    }

    private byte[] ReadExactly(int count)
    {
        while (_buffered.Count < count)
        {
            Fill();
        }

        var bytes = _buffered.GetRange(0, count).ToArray();
        _buffered.RemoveRange(0, count);
        return bytes;
    }

    private void Fill()
    {
        var chunk = new byte[4096];
        int read = _socket.Receive(chunk);
        if (read == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }

        _buffered.AddRange(chunk.AsSpan(0, read).ToArray());
    }
}
