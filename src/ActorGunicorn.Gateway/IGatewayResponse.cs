using Microsoft.Win32.SafeHandles;

namespace ActorGunicorn.Gateway;

/// <summary>
/// The response to one request. Status and headers can change until the first body byte is sent; writes are
/// buffered and sent as the buffer fills, on <see cref="FlushAsync"/>, or when the invocation completes.
/// </summary>
/// <remarks>
/// Without <see cref="ContentLength"/>, an HTTP/1.1 response is sent chunked and an HTTP/1.0 response is ended by
/// closing the connection. The server owns the hop-by-hop headers (Connection, Transfer-Encoding, Date, Server…)
/// and drops them if the application sets them, as gunicorn does.
/// </remarks>
public interface IGatewayResponse
{
    /// <summary>The status code; 200 unless set.</summary>
    int StatusCode { get; set; }

    /// <summary>The reason phrase; the standard one for <see cref="StatusCode"/> unless set.</summary>
    string? ReasonPhrase { get; set; }

    /// <summary>The body length to announce. Writes beyond it are an error; fewer bytes abort the connection.</summary>
    long? ContentLength { get; set; }

    /// <summary>True once the status line and headers have been sent; they can no longer change.</summary>
    bool HasStarted { get; }

    /// <summary>Adds a header, keeping any earlier ones of the same name (e.g. several Set-Cookie).</summary>
    /// <param name="name">A header name (an HTTP token).</param>
    /// <param name="value">A header value without control characters.</param>
    void AddHeader(string name, string value);

    /// <summary>Sets a header, replacing any earlier ones of the same name.</summary>
    /// <param name="name">A header name (an HTTP token).</param>
    /// <param name="value">A header value without control characters.</param>
    void SetHeader(string name, string value);

    /// <summary>
    /// Writes body bytes. The task completes once the bytes are buffered or handed to the socket; it waits while the
    /// client is slower than the application (backpressure). The bytes may be reused after it completes.
    /// </summary>
    /// <param name="data">The bytes to send.</param>
    /// <param name="cancellationToken">Cancels a write that is waiting for the client.</param>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Sends the headers (if not yet sent) and every buffered byte now: use it to stream.</summary>
    /// <param name="cancellationToken">Cancels a flush that is waiting for the client.</param>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a region of a file as body bytes, straight from the file to the socket with <c>sendfile(2)</c>: the
    /// bytes pass through no managed buffer. The headers (if not yet sent) and anything buffered go first. Without a
    /// <see cref="ContentLength"/> and before the response has started, <paramref name="count"/> becomes the length.
    /// </summary>
    /// <param name="file">An open file; it stays open, and its position is not used or changed.</param>
    /// <param name="offset">Where in the file to start.</param>
    /// <param name="count">How many bytes to send.</param>
    /// <param name="cancellationToken">Cancels a send that is waiting for the client.</param>
    /// <returns>The bytes sent: fewer than <paramref name="count"/> when the announced length ends first, none for HEAD.</returns>
    ValueTask<long> SendFileAsync(SafeFileHandle file, long offset, long count, CancellationToken cancellationToken = default);
}
