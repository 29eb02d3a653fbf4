using System.Buffers;
using System.Net.Sockets;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;

namespace ActorGunicorn.Workers;

/// <summary>
/// The request body as a read-only stream, decoded (Content-Length or chunked) straight from the connection's input
/// buffer and socket as the application reads: nothing is read ahead, so an upload of any size uses one buffer.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly HttpExchange _exchange;

    public RequestBodyStream(HttpExchange exchange) => _exchange = exchange;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    // Synchronous reads are for applications that want them; they block the invoker's thread, as in WSGI.
    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var decoder = _exchange.Decoder;
        if (destination.IsEmpty || decoder.IsComplete)
        {
            return 0;
        }

        await _exchange.SendContinueIfExpectedAsync(cancellationToken).ConfigureAwait(false);
        var input = _exchange.Input;
        decoder.MaxPayloadSliceLength = destination.Length;
        while (true)
        {
            var status = decoder.Decode(input.Unconsumed, out var payload, out var consumed, out _, out var rejection);
            switch (status)
            {
                case HttpBodyStatus.Data:
                    payload.CopyTo(destination.Span);
                    input.ConsumeTo(consumed);
                    return (int)payload.Length;
                case HttpBodyStatus.Complete:
                    input.ConsumeTo(consumed);
                    return 0;
                case HttpBodyStatus.Rejected:
                    throw Refuse(rejection!);
                default:
                    input.ConsumeTo(consumed);
                    if (!await ReceiveAsync(input, cancellationToken).ConfigureAwait(false))
                    {
                        var endRejection = decoder.OnEndOfInput();
                        if (endRejection is not null)
                        {
                            throw Refuse(endRejection);
                        }

                        return 0;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Whether a read refused the body (broken framing, too large, too slow): the connection cannot be followed past
    /// it, so whatever the application answers goes out with Connection: close.
    /// </summary>
    public bool Refused { get; private set; }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private BadRequestBodyException Refuse(HttpRejection rejection)
    {
        Refused = true;
        return new BadRequestBodyException(rejection);
    }

    private async ValueTask<bool> ReceiveAsync(InputBuffer input, CancellationToken cancellationToken)
    {
        var timeout = _exchange.BodyTimeout;
        using var deadline = timeout > TimeSpan.Zero ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        deadline?.CancelAfter(timeout);
        try
        {
            int read = await _exchange.Transport.ReceiveAsync(input.GetFreeSpace(), deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            input.Advance(read);
            return read > 0;
        }
        catch (OperationCanceledException) when (deadline is not null && !cancellationToken.IsCancellationRequested)
        {
            // A client that stalls mid-body would hold a worker thread as long as it likes.
            throw Refuse(new HttpRejection(
                HttpRejectionReason.RequestTimeout, $"No request body data for {timeout.TotalSeconds:0.###} s"));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or (IOException and not BadRequestBodyException))
        {
            throw _exchange.ConnectionLost(ex);
        }
    }
}

/// <summary>
/// The engine refused the request body (bad chunk size or extension, missing terminator, truncated chunked body, a
/// body too large or too slow). The application sees it as the gateway's <see cref="RequestBodyException"/>, which
/// names the framing error instead of calling it a lost connection.
/// </summary>
internal sealed class BadRequestBodyException : RequestBodyException
{
    public BadRequestBodyException(HttpRejection rejection)
        : base($"Invalid request body: {rejection}", rejection.StatusCode) => Rejection = rejection;

    /// <summary>The engine's verdict, with the status gunicorn would answer.</summary>
    public HttpRejection Rejection { get; }
}
