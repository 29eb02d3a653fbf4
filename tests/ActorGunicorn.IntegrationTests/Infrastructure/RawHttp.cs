using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ActorGunicorn.IntegrationTests.Infrastructure;

/// <summary>A response as read off the wire.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The header lines, names lower-cased.</param>
/// <param name="Body">The body, de-chunked.</param>
internal sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A plain TCP client that writes exactly the bytes it is given and parses responses strictly: for pipelining and for
/// checks that curl would smooth over.
/// </summary>
internal sealed class RawHttp : IDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private readonly byte[] _buffer = new byte[64 * 1024];
    private NetworkStream _stream = null!;
    private int _start;
    private int _end;

    private RawHttp()
    {
    }

    public static async Task<RawHttp> ConnectAsync(int port)
    {
        var http = new RawHttp();
        await http._client.ConnectAsync("127.0.0.1", port);
        http._client.ReceiveTimeout = 20_000;

        // Kept: TcpClient.GetStream refuses once the socket is half-closed (CloseSending), the stream still reads.
        http._stream = http._client.GetStream();
        return http;
    }

    /// <summary>The client's own port (the server's REMOTE_PORT).</summary>
    public int LocalPort => ((System.Net.IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public async Task SendAsync(string request) => await _stream.WriteAsync(Encoding.Latin1.GetBytes(request));

    /// <summary>Writes exactly these bytes.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Closes the sending side (a half-close): the server reads end of stream, and can still answer.</summary>
    public void CloseSending() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Drops the connection with a reset (SO_LINGER 0), as a client that gives up on a response does.</summary>
    public void Reset()
    {
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Dispose();
    }

    public async Task<RawResponse> GetAsync(string target)
    {
        await SendAsync($"GET {target} HTTP/1.1\r\nHost: test\r\n\r\n");
        return await ReadResponseAsync();
    }

    /// <summary>Reads one response; throws <see cref="EndOfStreamException"/> if the server closes first.</summary>
    public async Task<RawResponse> ReadResponseAsync() => await ReadBodyAsync(await ReadHeadAsync());

    /// <summary>
    /// Reads one response, or returns null when the server closes the connection before sending a byte of one;
    /// throws <see cref="EndOfStreamException"/> if it closes in the middle of one.
    /// </summary>
    public async Task<RawResponse?> ReadResponseOrEndAsync() =>
        _start < _end || await TryFillAsync() ? await ReadResponseAsync() : null;

    /// <summary>Every byte the server still sends until it closes the connection (buffered ones included).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        var rest = new List<byte>();
        do
        {
            rest.AddRange(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
        }
        while (await TryFillAsync());

        return [.. rest];
    }

    /// <summary>Reads a response's status line and headers (the body stays unread).</summary>
    public async Task<RawResponse> ReadHeadAsync()
    {
        var statusLine = await ReadLineAsync();
        int status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>();
        for (var line = await ReadLineAsync(); line.Length > 0; line = await ReadLineAsync())
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
        }

        return new RawResponse(status, headers, string.Empty);
    }

    /// <summary>Reads the body of a response whose head <see cref="ReadHeadAsync"/> returned.</summary>
    public async Task<RawResponse> ReadBodyAsync(RawResponse head)
    {
        if (head.Header("content-length") is string length)
        {
            return head with { Body = Encoding.Latin1.GetString(await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture))) };
        }

        if (head.Header("transfer-encoding") == "chunked")
        {
            var body = new StringBuilder();
            for (int size = ChunkSize(await ReadLineAsync()); size > 0; size = ChunkSize(await ReadLineAsync()))
            {
                body.Append(Encoding.Latin1.GetString(await ReadExactlyAsync(size)));
                await ReadLineAsync();
            }

            await ReadLineAsync();
            return head with { Body = body.ToString() };
        }

        return head;
    }

    /// <summary>
    /// Reads the next chunk of a chunked body whose head <see cref="ReadHeadAsync"/> returned; null at the last
    /// chunk (the trailer is consumed too).
    /// </summary>
    public async Task<string?> ReadChunkAsync()
    {
        int size = ChunkSize(await ReadLineAsync());
        if (size == 0)
        {
            await ReadLineAsync();
            return null;
        }

        var data = Encoding.Latin1.GetString(await ReadExactlyAsync(size));
        await ReadLineAsync();
        return data;
    }

    /// <summary>True when the server has closed the connection (a read returns end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        if (_start < _end)
        {
            return false;
        }

        try
        {
            // Bytes that do arrive are kept for the next read.
            return !await TryFillAsync();
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Waits until the server ends the connection and says how: true for an orderly close (a read returns end of
    /// stream: the server's FIN), false for a reset (ECONNRESET). Bytes that still arrive are kept for the next read.
    /// </summary>
    /// <exception cref="TimeoutException">The connection is still open after <paramref name="timeout"/>.</exception>
    public async Task<bool> EndsWithFinAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (_end == _buffer.Length)
                {
                    throw new InvalidOperationException("the server sent more than the buffer holds before closing");
                }

                int read = await _stream.ReadAsync(_buffer.AsMemory(_end), deadline.Token);
                if (read == 0)
                {
                    return true;
                }

                _end += read;
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"the server kept the connection open for {timeout.TotalSeconds} s");
        }
    }

    public void Dispose() => _client.Dispose();

    private static int ChunkSize(string line) => int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        int filled = 0;
        while (filled < count)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            int take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task FillAsync()
    {
        if (!await TryFillAsync())
        {
            throw new EndOfStreamException("the server closed the connection");
        }
    }

    /// <summary>Reads more bytes into the buffer; false at end of stream.</summary>
    private async Task<bool> TryFillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read = await _stream.ReadAsync(_buffer.AsMemory(_end));
        _end += read;
        return read > 0;
    }
}
