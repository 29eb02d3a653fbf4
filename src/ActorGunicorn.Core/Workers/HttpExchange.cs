using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using HttpResponseHeader = ActorGunicorn.Http.HttpResponseHeader;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Akka.Actor;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;
using ActorGunicorn.Interop;
using Microsoft.Win32.SafeHandles;
using ActorGunicorn.Logging;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers;

/// <summary>
/// One request and its response on one connection: what the application sees as <see cref="IGatewayRequest"/> and
/// <see cref="IGatewayResponse"/>. The connection actor owns it and reuses it for every request it carries.
/// </summary>
/// <remarks>
/// <para>
/// Ownership moves with the messages: the connection hands the exchange (and with it the socket and the input
/// buffer) to an invoker, and gets it back with <see cref="Connection.ExchangeCompleted"/>. In between, only the
/// invoker and the application touch them, so no lock is needed.
/// </para>
/// <para>
/// A response is assembled in memory while it is small. If the application completes without flushing, the body
/// length is known and the response goes out in one write with a Content-Length; a large or flushed body is
/// streamed (chunked on HTTP/1.1), each send awaited, which is the application's backpressure.
/// </para>
/// </remarks>
internal sealed class HttpExchange : IGatewayRequest, IGatewayResponse, IAccessLogRecord, IDisposable
{
    // A body up to this size waits in memory until the application finishes, so it can carry a Content-Length.
    private const int PendingBodyLimit = 16 * 1024;

    // Streamed output is sent once this much has accumulated (or on flush, or at the end).
    private const int SendThreshold = 64 * 1024;

    // An unread request body up to this size is discarded to keep the connection; a bigger one closes it
    // (gunicorn's gthread worker drains 64 KiB too).
    private const int UnreadBodyDrainLimit = 64 * 1024;

    private readonly ClientTransport _transport;
    private readonly InputBuffer _input;
    private readonly ConnectionServices _services;
    private readonly IActorRef _connection;
    private readonly HttpBodyDecoder _decoder;
    private readonly RequestBodyStream _body;
    private readonly RequestHeaders _headers = new();
    private readonly RequestHeaders _trailers = new();
    private readonly RequestTarget _target = new();
    private readonly List<HttpResponseHeader> _responseHeaders = [];
    private readonly OutputBuffer _pendingBody = new(1024);
    private readonly OutputBuffer _output = new(4096);
    private readonly EndPoint? _remote;
    private readonly EndPoint? _local;
    private readonly InFlightRequest _inFlight;
    private readonly ResponseOwnership _ownership = new();

    private HttpRequestHead _head = null!;
    private ResponseState _state;
    private HttpResponseFramingDecision _framing;
    private long _bodyBytesSent;
    private long _contentLengthRemaining;
    private bool _serverWantsClose;
    private bool _continueSent;
    private bool _connectionLost;
    private CancellationTokenSource? _aborted;
    private long _startTimestamp;
    private DateTimeOffset _startTime;
    private TimeSpan _duration;
    private string? _path;

    public HttpExchange(ClientTransport transport, InputBuffer input, ConnectionServices services, IActorRef connection)
    {
        _transport = transport;
        var socket = transport.Socket;
        _input = input;
        _services = services;
        _connection = connection;
        _decoder = new HttpBodyDecoder(services.ParserOptions);
        _body = new RequestBodyStream(this);
        _remote = socket.RemoteEndPoint;
        _local = socket.LocalEndPoint;
        _inFlight = new InFlightRequest(this);
    }

    private enum ResponseState
    {
        NotStarted,
        Streaming,
        Completed,
    }

    /// <summary>The parsed request head.</summary>
    public HttpRequestHead Head => _head;

    /// <summary>After completion: whether the connection may carry another request.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>After completion: whether the connection must be dropped without further writes.</summary>
    public bool MustAbort { get; private set; }

    /// <summary>Set by the connection (from any thread) when the worker drains: the response then closes the connection.</summary>
    public volatile bool Draining;

    // ---- request ---------------------------------------------------------------------------------------------

    public string Method => _head.Method;

    public string RawTarget => _head.RawTarget;

    public string Path => _path ??= _target.DecodePath(_head.PathBytes);

    public string QueryString => _head.Query;

    public string Protocol => _head.VersionMajor == 1 && _head.VersionMinor == 1 ? "HTTP/1.1"
        : _head.VersionMajor == 1 && _head.VersionMinor == 0 ? "HTTP/1.0"
        : string.Create(CultureInfo.InvariantCulture, $"HTTP/{_head.VersionMajor}.{_head.VersionMinor}");

    public string Scheme => _head.Scheme;

    public IGatewayHeaders Headers => _headers;

    public IGatewayHeaders Trailers => _trailers;

    public long? ContentLength => _head.BodyFraming == HttpBodyFraming.ContentLength ? _head.ContentLength : null;

    long? IGatewayResponse.ContentLength { get; set; }

    public Stream Body => _body;

    public EndPoint? RemoteEndPoint => ProxyProtocol is { SourceAddress: { } address } proxy
        ? new IPEndPoint(address, proxy.SourcePort ?? 0)
        : _remote;

    /// <summary>The PROXY header that opened the connection, if any: its source is the client's address.</summary>
    public ProxyProtocolInfo? ProxyProtocol { get; set; }

    public EndPoint? LocalEndPoint => _local;

    public CancellationToken Aborted
    {
        get
        {
            var aborted = _aborted;
            if (aborted is null)
            {
                // The request-timeout watchdog cancels from its own thread: publish the source with a full fence,
                // then look at its claim, so that one of the two always sees the other.
                aborted = new CancellationTokenSource();
                Interlocked.Exchange(ref _aborted, aborted);
                if (_ownership.IsTimedOut)
                {
                    aborted.Cancel();
                }
            }

            return aborted.Token;
        }
    }

    /// <summary>The body decoder for this request (used by <see cref="RequestBodyStream"/>).</summary>
    internal HttpBodyDecoder Decoder => _decoder;

    /// <summary>The connection's input (used by <see cref="RequestBodyStream"/>).</summary>
    internal InputBuffer Input => _input;

    /// <summary>The longest wait for body bytes (used by <see cref="RequestBodyStream"/>).</summary>
    internal TimeSpan BodyTimeout => _services.BodyTimeout;

    /// <summary>The connection's byte stream (used by <see cref="RequestBodyStream"/>).</summary>
    internal ClientTransport Transport => _transport;

    // ---- response --------------------------------------------------------------------------------------------

    public int StatusCode { get; set; }

    public string? ReasonPhrase { get; set; }

    public bool HasStarted => _state != ResponseState.NotStarted;

    public void AddHeader(string name, string value)
    {
        ThrowIfStarted();
        _responseHeaders.Add(new HttpResponseHeader(name, value));
    }

    public void SetHeader(string name, string value)
    {
        ThrowIfStarted();
        RemoveHeaders(name);
        _responseHeaders.Add(new HttpResponseHeader(name, value));
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (_ownership.IsTimedOut)
        {
            // The watchdog answered for this request: what the application still writes goes nowhere.
            return default;
        }

        if (_state == ResponseState.Completed)
        {
            throw new InvalidOperationException("The response is complete.");
        }

        if (_state == ResponseState.NotStarted)
        {
            if (_pendingBody.WrittenCount + data.Length <= PendingBodyLimit)
            {
                _pendingBody.Write(data.Span);
                return default;
            }

            StartResponse(final: false);
        }

        AppendBody(data.Span);
        return _output.WrittenCount >= SendThreshold ? SendOutputAsync(cancellationToken) : default;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_ownership.IsTimedOut)
        {
            return default;
        }

        if (_state == ResponseState.NotStarted)
        {
            StartResponse(final: false);
        }

        return _output.WrittenCount > 0 ? SendOutputAsync(cancellationToken) : default;
    }

    public async ValueTask<long> SendFileAsync(SafeFileHandle file, long offset, long count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_ownership.IsTimedOut)
        {
            return 0;
        }

        if (_state == ResponseState.Completed)
        {
            throw new InvalidOperationException("The response is complete.");
        }

        if (_state == ResponseState.NotStarted)
        {
            var response = (IGatewayResponse)this;
            if (response.ContentLength is null && _pendingBody.WrittenCount == 0)
            {
                response.ContentLength = count;
            }

            StartResponse(final: false);
        }

        long length = _framing.Framing switch
        {
            HttpResponseBodyFraming.NoBody => 0,
            HttpResponseBodyFraming.ContentLength => Math.Min(count, _contentLengthRemaining),
            _ => count,
        };
        if (length <= 0 || _state != ResponseState.Streaming)
        {
            return 0;
        }

        bool chunked = _framing.Framing == HttpResponseBodyFraming.Chunked;
        if (chunked)
        {
            ChunkedEncoder.WriteChunkHeader(_output, length);
        }

        await SendOutputAsync(cancellationToken).ConfigureAwait(false);
        await SendFileRegionAsync(file, offset, length, cancellationToken).ConfigureAwait(false);
        if (chunked)
        {
            ChunkedEncoder.WriteChunkTrailer(_output);
        }
        else if (_framing.Framing == HttpResponseBodyFraming.ContentLength)
        {
            _contentLengthRemaining -= length;
        }

        _bodyBytesSent += length;
        return length;
    }

    // ---- lifecycle, driven by the connection and the invoker -------------------------------------------------

    /// <summary>Prepares for a new request (connection side, before handing the exchange to an invoker).</summary>
    /// <param name="head">The parsed head; the exchange reads it until completion.</param>
    /// <param name="serverWantsClose">The connection will close after this response (draining, keep-alive off, budget spent).</param>
    public void Begin(HttpRequestHead head, bool serverWantsClose)
    {
        _head = head;
        _headers.Reset(head.Headers);
        _trailers.Reset(head.Trailers);
        _decoder.Reset(head);
        _serverWantsClose = serverWantsClose;
        _path = null;
        _continueSent = false;
        _connectionLost = false;
        _state = ResponseState.NotStarted;
        _bodyBytesSent = 0;
        _contentLengthRemaining = 0;
        _framing = default;
        _responseHeaders.Clear();
        _pendingBody.Clear();
        _output.Clear();
        StatusCode = 200;
        ReasonPhrase = null;
        ((IGatewayResponse)this).ContentLength = null;
        KeepAlive = false;
        MustAbort = false;
        if (_aborted is not null && !_aborted.TryReset())
        {
            _aborted.Dispose();
            _aborted = null;
        }

        // Only the access log prints the wall-clock start; the duration uses the monotonic timestamp.
        _startTime = _services.AccessLog is null ? default : DateTimeOffset.Now;
        _startTimestamp = Stopwatch.GetTimestamp();
        _services.Statistics.RequestStarted(_inFlight);
        // After the request is listed: a watchdog that sees this generation also sees it running.
        _ownership.Begin(_startTimestamp);
    }

    /// <summary>
    /// The invoker is about to call the application on this thread (which may not be the connection's): the thread a
    /// stuck request's stack is looked for on.
    /// </summary>
    public void EnteringApplication() => _inFlight.ThreadId = Environment.CurrentManagedThreadId;

    /// <summary>
    /// Finishes the response after the application returned: sends what is buffered with the right framing, ends a
    /// chunked body, and decides whether the connection can carry another request.
    /// </summary>
    public ValueTask CompleteAsync()
    {
        if (_ownership.IsTimedOut)
        {
            // The watchdog has answered (or cut the connection): nothing more goes out, and the connection closes.
            _state = ResponseState.Completed;
            KeepAlive = false;
            MustAbort = true;
            return default;
        }

        if (_state == ResponseState.NotStarted)
        {
            StartResponse(final: true);
        }

        if (_state == ResponseState.Streaming)
        {
            if (_framing.Framing == HttpResponseBodyFraming.Chunked)
            {
                ChunkedEncoder.WriteLastChunk(_output);
            }
            else if (_framing.Framing == HttpResponseBodyFraming.ContentLength && _contentLengthRemaining > 0)
            {
                // Fewer bytes than announced: the client would wait for the rest, so the connection is cut.
                _services.Log.ResponseTooShort(Method, RawTarget, _contentLengthRemaining);
                MustAbort = true;
            }

            _state = ResponseState.Completed;
        }

        KeepAlive = _framing.KeepAlive && !MustAbort && DrainUnreadBody();
        return _output.WrittenCount > 0 && !MustAbort ? SendOutputAsync(CancellationToken.None) : default;
    }

    /// <summary>
    /// The client went away while <see cref="CompleteAsync"/> sent the end of the response: one line at debug, as
    /// gunicorn's "Ignoring EPIPE", and the connection is dropped.
    /// </summary>
    public void CompletionFailed(IOException error)
    {
        _services.Log.ConnectionLost(Method, RawTarget, error.Message);
        KeepAlive = false;
        MustAbort = true;
    }

    /// <summary>
    /// The application failed. Before the response started this becomes a 500 (or the 4xx of a broken request body);
    /// after, the connection is aborted, as in gunicorn.
    /// </summary>
    public void Fail(Exception error)
    {
        if (_ownership.IsTimedOut)
        {
            // Typically the consequence of the timeout itself (a cancelled token, a read from the closed socket).
            _services.Log.FailedAfterTimeout(Method, RawTarget, error.Message);
            MustAbort = true;
            _state = ResponseState.Completed;
            return;
        }

        if (error is BadRequestBodyException bad && _state == ResponseState.NotStarted)
        {
            _services.Log.InvalidRequest(RemoteAddress ?? "-", bad.Rejection.ToString());
            WriteErrorResponse(bad.Rejection.StatusCode, bad.Rejection.ReasonPhrase, HttpErrorResponse.GetMessage(bad.Rejection));
            return;
        }

        if (error is GatewayRequestRejectedException rejected && _state == ResponseState.NotStarted)
        {
            _services.Log.InvalidRequest(RemoteAddress ?? "-", rejected.Message);
            WriteErrorResponse(rejected.StatusCode, HttpReasonPhrases.Get(rejected.StatusCode), rejected.Message);
            return;
        }

        // A client that leaves (a reset, or the end of its stream in the middle of the body it announced) is an
        // ordinary event: one line at debug, as gunicorn's "Ignored premature client disconnection", no stack trace.
        if (_connectionLost || _decoder.IsTruncated)
        {
            if (_connectionLost)
            {
                _services.Log.ConnectionLost(Method, RawTarget, error.Message);
            }
            else
            {
                _services.Log.ClientLeftInBody(Method, RawTarget);
            }

            MustAbort = true;
            _state = ResponseState.Completed;
            return;
        }

        _services.Log.ErrorHandlingRequest(RawTarget, error);
        if (_state == ResponseState.NotStarted)
        {
            WriteErrorResponse(500, "Internal Server Error", string.Empty);
        }
        else
        {
            MustAbort = true;
            _state = ResponseState.Completed;
        }
    }

    /// <summary>Counts the request, writes its access-log line, and hands the exchange back to the connection.</summary>
    public void Finish()
    {
        _duration = Stopwatch.GetElapsedTime(_startTimestamp);
        // A request the watchdog answered has had its access-log line already.
        bool timedOut = _ownership.Finish();
        long served = _services.Statistics.RequestFinished(_inFlight);
        if (!timedOut)
        {
            _services.AccessLog?.Write(this);
            _services.Statsd?.RequestFinished(StatusCode, _duration);
        }

        if (_services.MaxRequests > 0 && served == _services.MaxRequests)
        {
            _services.Worker.Tell(Worker.RequestBudgetSpent.Instance);
        }

        _connection.Tell(Connection.ExchangeCompleted.Instance);
    }

    // ---- request timeout: called on the watchdog's thread while the application may still run ------------------

    /// <summary>How long the current request has run.</summary>
    internal TimeSpan Elapsed => Stopwatch.GetElapsedTime(_ownership.StartedTimestamp);

    /// <summary>
    /// Takes the response from the application if the request is still the one that has run past
    /// <paramref name="timeout"/>. After <see cref="TimeoutClaim.Answer"/> or <see cref="TimeoutClaim.Abort"/> call
    /// <see cref="AnswerTimedOut"/>; the request's method and target are stable from then on.
    /// </summary>
    internal TimeoutClaim ClaimForTimeout(TimeSpan timeout) => _ownership.TryTimeOut(timeout, Stopwatch.GetTimestamp());

    /// <summary>
    /// Answers a request the watchdog has claimed: a 504 if the response had not started, then the connection is shut
    /// down either way (the application's pending reads and sends fail, which may free its thread), its
    /// <see cref="Aborted"/> token is cancelled, and the access log gets the request's line now.
    /// </summary>
    internal void AnswerTimedOut(TimeoutClaim claim)
    {
        var elapsed = Elapsed;
        int status = StatusCode;
        if (claim == TimeoutClaim.Answer)
        {
            status = 504;
            var page = new ArrayBufferWriter<byte>(512);
            HttpErrorResponse.Write(page, status, "Gateway Timeout", "The application did not answer in time.");
            try
            {
                // Nothing else writes to the socket now (the application never started), and the page fits the
                // empty send buffer, so this does not wait.
                _transport.SendNow(page.WrittenSpan);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                // The client is gone already.
            }
        }

        try
        {
            _transport.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Closed already.
        }

        CancelAbortedFromAnotherThread();
        _services.AccessLog?.Write(new TimedOutRequestRecord(this, status, claim == TimeoutClaim.Answer ? 0 : Volatile.Read(ref _bodyBytesSent), elapsed));
        _services.Statsd?.RequestFinished(status, elapsed);
    }

    // Cancellation runs the application's callbacks; CancelAsync runs them on the thread pool, not on the watchdog.
    private void CancelAbortedFromAnotherThread()
    {
        try
        {
            _ = Volatile.Read(ref _aborted)?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The request ended and the connection closed meanwhile.
        }
    }

    /// <summary>Cancels <see cref="Aborted"/>: the client is gone or the worker is stopping now.</summary>
    public void Abort() => _aborted?.Cancel();

    /// <summary>Sends <c>100 Continue</c> once, before the first body read, if the client asked for it.</summary>
    internal async ValueTask SendContinueIfExpectedAsync(CancellationToken cancellationToken)
    {
        if (_head.ExpectsContinue && !_continueSent && _state == ResponseState.NotStarted && _ownership.TryBeginInterim())
        {
            _continueSent = true;
            var interim = new OutputBuffer(32);
            try
            {
                HttpResponseHeadWriter.WriteContinue(interim);
                await SendAllAsync(interim.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _ownership.EndInterim();
                interim.Dispose();
            }
        }
    }

    public void Dispose()
    {
        // A request the connection gave up on mid-way must not count as running forever.
        _ownership.Finish();
        _services.Statistics.InFlight.Remove(_inFlight);
        _pendingBody.Dispose();
        _output.Dispose();
        _aborted?.Dispose();
        _body.Dispose();
    }

    // ---- response internals -----------------------------------------------------------------------------------

    private void StartResponse(bool final)
    {
        if (!_ownership.ClaimForApplication())
        {
            DiscardResponse();
            return;
        }

        var response = (IGatewayResponse)this;
        long? length = response.ContentLength;
        bool isHead = _head.MethodBytes.SequenceEqual("HEAD"u8);
        // Finished without flushing: the length is known, so announce it instead of chunking. Not for a response
        // without a body (HEAD, 1xx, 204, 304): what the application wrote is dropped, and its length is not the length
        // of the representation (a 304 from make_conditional or WhiteNoise would otherwise say Content-Length: 0).
        if (length is null && final && !HttpResponseFraming.OmitsBody(isHead, StatusCode))
        {
            length = _pendingBody.WrittenCount;
        }

        if (length is long value)
        {
            RemoveHeaders("Content-Length");
            _responseHeaders.Add(new HttpResponseHeader("Content-Length", NumberText(value)));
        }

        // An application that caught a refused body and answers anyway: its answer goes out, and says the connection
        // ends, since the body's end is unknown.
        bool serverWantsClose = _serverWantsClose || Draining || _body.Refused;
        var context = HttpResponseContext.For(_head, serverWantsClose);
        var error = _services.HeadWriter.TryWrite(
            _output, StatusCode, ReasonPhrase, CollectionsMarshal.AsSpan(_responseHeaders), context,
            _services.Date.GetBytes(), out _framing, out int invalidIndex);
        if (error != HttpResponseHeadError.None)
        {
            var detail = invalidIndex >= 0 ? $"{_responseHeaders[invalidIndex].Name}: {_responseHeaders[invalidIndex].Value}" : StatusCode.ToString(CultureInfo.InvariantCulture);
            _services.Log.InvalidResponse(RawTarget, error.ToString(), detail);
            WriteErrorResponse(500, "Internal Server Error", string.Empty);
            return;
        }

        _state = ResponseState.Streaming;
        _contentLengthRemaining = _framing.ContentLength ?? 0;
        if (_pendingBody.WrittenCount > 0)
        {
            AppendBody(_pendingBody.WrittenMemory.Span);
            _pendingBody.Clear();
        }
    }

    private void AppendBody(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        switch (_framing.Framing)
        {
            case HttpResponseBodyFraming.NoBody:
                return;
            case HttpResponseBodyFraming.ContentLength:
                // Like gunicorn, bytes beyond the announced length are not sent.
                var allowed = data[..(int)Math.Min(data.Length, _contentLengthRemaining)];
                _output.Write(allowed);
                _contentLengthRemaining -= allowed.Length;
                _bodyBytesSent += allowed.Length;
                return;
            case HttpResponseBodyFraming.Chunked:
                ChunkedEncoder.WriteChunk(_output, data);
                _bodyBytesSent += data.Length;
                return;
            default:
                _output.Write(data);
                _bodyBytesSent += data.Length;
                return;
        }
    }

    private void WriteErrorResponse(int status, string reason, string message)
    {
        if (!_ownership.ClaimForApplication())
        {
            DiscardResponse();
            return;
        }

        _output.Clear();
        _pendingBody.Clear();
        HttpErrorResponse.Write(_output, status, reason, message);
        StatusCode = status;
        _framing = new HttpResponseFramingDecision(HttpResponseBodyFraming.ContentLength, null, KeepAlive: false);
        _state = ResponseState.Completed;
    }

    // The watchdog answered first: the response is over for the application, and nothing it writes is framed or sent.
    private void DiscardResponse()
    {
        _output.Clear();
        _pendingBody.Clear();
        _framing = new HttpResponseFramingDecision(HttpResponseBodyFraming.NoBody, null, KeepAlive: false);
        _state = ResponseState.Completed;
        MustAbort = true;
    }

    private async ValueTask SendOutputAsync(CancellationToken cancellationToken)
    {
        await SendAllAsync(_output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _output.Clear();
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            throw ConnectionLost(ex);
        }
    }

    // sendfile(2) on the non-blocking socket: when the socket buffer is full, wait (off this thread) until it drains.
    private async ValueTask SendFileRegionAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        if (_transport.IsTls)
        {
            // The kernel cannot encrypt: the file goes through a buffer, as in gunicorn.
            await CopyFileRegionAsync(file, offset, length, cancellationToken).ConfigureAwait(false);
            return;
        }

        int socketFd = (int)_transport.Socket.Handle;
        int fileFd = (int)file.DangerousGetHandle();
        long end = offset + length;
        while (offset < end)
        {
            nint sent = Libc.SendFile(socketFd, fileFd, ref offset, (nuint)Math.Min(end - offset, int.MaxValue));
            if (sent > 0)
            {
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (sent == 0)
            {
                throw new IOException($"The file ended {end - offset} bytes before the region to send.");
            }

            if (errno != Libc.EAgain)
            {
                throw ConnectionLost(new SocketException(errno));
            }

            await Task.Run(() => _transport.Socket.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectWrite), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CopyFileRegionAsync(SafeFileHandle file, long offset, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (long end = offset + length; offset < end;)
            {
                int read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - offset)), offset, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"The file ended {end - offset} bytes before the region to send.");
                }

                await SendAllAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Records that the client is gone and returns the exception the application sees.</summary>
    internal IOException ConnectionLost(Exception cause)
    {
        _connectionLost = true;
        _aborted?.Cancel();
        return new IOException("The client connection is closed.", cause);
    }

    // Discards a small unread request body so the connection can be reused; otherwise the connection closes.
    private bool DrainUnreadBody()
    {
        long discarded = 0;
        while (!_decoder.IsComplete && discarded <= UnreadBodyDrainLimit)
        {
            var buffered = _input.Unconsumed;
            var status = _decoder.Decode(buffered, out var payload, out var consumed, out _, out _);
            discarded += payload.Length;
            _input.ConsumeTo(consumed);
            if (status == HttpBodyStatus.Rejected)
            {
                return false;
            }

            if (status == HttpBodyStatus.NeedMoreData && !TryReceiveAvailable())
            {
                return false;
            }
        }

        return _decoder.IsComplete;
    }

    // Takes bytes the kernel already holds, without waiting for more.
    private bool TryReceiveAvailable()
    {
        try
        {
            if (_transport.Available == 0)
            {
                return false;
            }

            int read = _transport.Socket.Receive(_input.GetFreeSpace().Span, SocketFlags.None);
            _input.Advance(read);
            return read > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    // A loop rather than RemoveAll with a lambda: this runs for most responses and must not allocate.
    private void RemoveHeaders(string name)
    {
        for (int i = _responseHeaders.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_responseHeaders[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                _responseHeaders.RemoveAt(i);
            }
        }
    }

    private void ThrowIfStarted()
    {
        if (_state != ResponseState.NotStarted)
        {
            throw new InvalidOperationException("The response has started: headers can no longer change.");
        }
    }

    private static readonly string[] SmallNumbers = Enumerable.Range(0, 4096).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private static string NumberText(long value) =>
        value >= 0 && value < SmallNumbers.Length ? SmallNumbers[value] : value.ToString(CultureInfo.InvariantCulture);

    // ---- access log -------------------------------------------------------------------------------------------

    public string? RemoteAddress => RemoteEndPoint is IPEndPoint ip ? ip.Address.ToString() : null;

    public string? BasicAuthUser
    {
        get
        {
            var authorization = _head.Headers.GetFirstValue("Authorization");
            if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            try
            {
                var credentials = Encoding.Latin1.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                int colon = credentials.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? credentials[..colon] : credentials;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    public DateTimeOffset StartTime => _startTime;

    public TimeSpan Duration => _duration;

    long IAccessLogRecord.BytesSent => _bodyBytesSent;

    int IAccessLogRecord.StatusCode => StatusCode;

    public string? RequestHeader(string name) => _head.Headers.GetFirstValue(name);

    public string? ResponseHeader(string name) =>
        _responseHeaders.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
