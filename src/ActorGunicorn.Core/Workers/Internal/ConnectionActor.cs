using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Http;
using ActorGunicorn.Logging;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// The connection state machine. AwaitingRequest: waiting for the first byte of a request (the keep-alive timer
/// runs). ReadingHead: part of a head has arrived. InApplication: the exchange, with the socket and the input buffer,
/// belongs to an invoker until it sends <see cref="Connection.ExchangeCompleted"/>. Lingering: an error response, or
/// a response that closes the connection while the client may still be sending, was sent; the client's remaining
/// bytes are read and dropped briefly so that it sees the response, not a reset.
/// </summary>
/// <remarks>
/// <para>
/// Receives complete on a socket-engine thread; the continuation only tells the actor, which reads the result
/// itself, so all connection state stays inside the actor.
/// </para>
/// <para>
/// The behaviours are named methods selected by a state field rather than by Akka's Become: a connection switches
/// behaviour twice per request, and a ReceiveActor rebuilds its handler table on every switch (measured: a third
/// of the worker's managed CPU on a hello-world load), while an UntypedActor's Become allocates a wrapper each time.
/// </para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "The receive's awaiter is kept and its result read exactly once, when the actor handles the completion.")]
internal sealed class ConnectionActor : UntypedActor, IWithTimers
{
    /// <summary>Gunicorn's gthread worker gives a new connection 5 s to send its first bytes, whatever the keep-alive.</summary>
    public static readonly TimeSpan FirstRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While draining, how long an idle keep-alive connection stays open for its client's next request (or the
    /// keep-alive timeout, if shorter). Closing a connection its client is about to use resets that request, so the
    /// grace is long against a client's pause between requests, even on a loaded machine, and short against the
    /// graceful timeout.
    /// </summary>
    public static readonly TimeSpan DrainIdleGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);
    private const int LingerLimit = 64 * 1024;

    private readonly ClientTransport _transport;
    private readonly ConnectionServices _services;
    private readonly IActorRef _invokers;
    private readonly InputBuffer _input = new(4096);
    private readonly HttpRequestParser _parser;
    private ProxyProtocolParser? _proxyParser;
    private readonly bool _peerMayUseProxyProtocol;
    private readonly HttpRequestHead _head = new();
    private readonly HttpExchange _exchange;
    private readonly Action _onReceiveCompleted;

    private State _state;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pendingReceive;
    private bool _receivePending;
    private bool _draining;
    private bool _exchangeOut;
    private bool _servedOne;
    private long _idleSinceMs;
    private long _headStartedMs;
    private int _lingered;

    private readonly System.Net.IPAddress? _countedPeer;

    public ConnectionActor(Socket socket, ConnectionServices services, IActorRef invokers, bool draining, System.Net.IPAddress? countedPeer = null)
    {
        _countedPeer = countedPeer;
        _transport = new ClientTransport(socket, services.Tls);
        _services = services;
        _invokers = invokers;
        _draining = draining;
        var options = services.ParserOptions;
        var peer = socket.RemoteEndPoint;
        _parser = new HttpRequestParser(options, options.IsTrustedForwarder(peer), services.Tls is null ? "http" : "https");
        // A PROXY header can only open a connection: the parser is dropped once it has looked.
        _proxyParser = options.ProxyProtocol == ProxyProtocolMode.Off ? null : new ProxyProtocolParser(options.ProxyProtocol);
        _peerMayUseProxyProtocol = options.MayUseProxyProtocol(peer);
        _exchange = new HttpExchange(_transport, _input, services, Self);
        var self = Self;
        _onReceiveCompleted = () => self.Tell(ReceiveCompleted.Instance);
    }

    private enum State
    {
        Handshaking,
        AwaitingRequest,
        ReadingHead,
        InApplication,
        Lingering,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Messages that can reach a connection after it stopped (a receive cancelled by the close) are not dead-letter noise.
    private sealed record ReceiveCompleted : IDeadLetterSuppression
    {
        public static readonly ReceiveCompleted Instance = new();
    }

    private sealed record LingerExpired : IDeadLetterSuppression
    {
        public static readonly LingerExpired Instance = new();
    }

    private sealed record HandshakeCompleted(Exception? Error) : IDeadLetterSuppression;

    protected override void PreStart()
    {
        _idleSinceMs = Environment.TickCount64;
        if (_services.Tls is { } tls)
        {
            _state = State.Handshaking;
            var self = Self;
            _transport.AuthenticateAsync(tls, CancellationToken.None).ContinueWith(
                handshake => self.Tell(new HandshakeCompleted(handshake.Exception?.GetBaseException())),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        _state = State.AwaitingRequest;
        StartReceive();
    }

    protected override void PostStop()
    {
        Context.Parent.Tell(_countedPeer is null ? Acceptor.ConnectionClosed.Uncounted : new Acceptor.ConnectionClosed(_countedPeer));
        _exchange.Abort();
        _transport.Dispose();
        // While an invoker still holds the exchange, its buffers are not returned to the pool: the invoker may
        // touch them until it notices the closed socket. The garbage collector takes them instead.
        if (!_exchangeOut)
        {
            _exchange.Dispose();
            _input.Dispose();
        }
    }

    protected override void OnReceive(object message)
    {
        switch (_state)
        {
            case State.Handshaking:
                Handshaking(message);
                break;
            case State.AwaitingRequest:
                AwaitingRequest(message);
                break;
            case State.ReadingHead:
                ReadingHead(message);
                break;
            case State.InApplication:
                InApplication(message);
                break;
            default:
                Lingering(message);
                break;
        }
    }

    private void Handshaking(object message)
    {
        switch (message)
        {
            case HandshakeCompleted { Error: null }:
                _state = State.AwaitingRequest;
                _idleSinceMs = Environment.TickCount64;
                StartReceive();
                break;
            case HandshakeCompleted failed:
                // Plain HTTP to a TLS port, an untrusted client certificate, no common protocol: logged, closed.
                // A client that connects and closes (a load balancer's health check) is not worth a warning.
                if (failed.Error is IOException { InnerException: null })
                {
                    if (_services.Log.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
                    {
                        _services.Log.TlsClientLeft(RemoteAddress(), failed.Error.Message);
                    }
                }
                else
                {
                    _services.Log.TlsHandshakeFailed(RemoteAddress(), Innermost(failed.Error!).Message);
                }

                Context.Stop(Self);
                break;
            case Acceptor.IdleCheck:
                if (Environment.TickCount64 - _idleSinceMs >= (long)FirstRequestTimeout.TotalMilliseconds)
                {
                    Context.Stop(Self);
                }

                break;
            case Connection.Drain:
            case Connection.ShedIfSlow:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void AwaitingRequest(object message)
    {
        // Bytes waiting in the kernel mean the client is sending: the connection is not idle, whatever the clock says.
        // A worker that could not run for a while (a loaded machine) must not close on a request that is already here:
        // the close would answer it with a reset.
        if (message is Acceptor.IdleCheck or Connection.Drain or Connection.ShedIfSlow && BytesWaiting())
        {
            _idleSinceMs = Environment.TickCount64;
        }

        switch (message)
        {
            case ReceiveCompleted:
                OnReceived();
                break;
            case Acceptor.IdleCheck:
                var limit = _servedOne && _services.KeepAlive > TimeSpan.Zero ? _services.KeepAlive : FirstRequestTimeout;
                if (_draining && DrainIdleGrace < limit)
                {
                    limit = DrainIdleGrace;
                }

                if (_input.Length == 0 && Environment.TickCount64 - _idleSinceMs >= (long)limit.TotalMilliseconds)
                {
                    Context.Stop(Self);
                }

                break;
            case Connection.Drain:
                _draining = true;
                // A connection that just answered may have its client's next request on the wire: closing it now
                // would reset that request. It gets a short grace, and a request in that time is served with
                // Connection: close. Only one idle for longer is closed at once.
                if (_input.Length == 0 && Environment.TickCount64 - _idleSinceMs >= (long)DrainIdleGrace.TotalMilliseconds)
                {
                    Context.Stop(Self);
                }

                break;
            case Connection.ShedIfSlow:
                // Idle (keep-alive, or a new connection that has sent nothing): closing it loses no request.
                if (_input.Length == 0 && Environment.TickCount64 - _idleSinceMs >= (long)Connection.ShedAge.TotalMilliseconds)
                {
                    Context.Stop(Self);
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void ReadingHead(object message)
    {
        switch (message)
        {
            case ReceiveCompleted:
                OnReceived();
                break;
            case Acceptor.IdleCheck:
                // A head that trickles in (slowloris) holds a connection slot: it gets header_timeout in all.
                var timeout = _services.HeaderTimeout;
                if (timeout > TimeSpan.Zero && Environment.TickCount64 - _headStartedMs >= (long)timeout.TotalMilliseconds)
                {
                    Reject(new HttpRejection(HttpRejectionReason.RequestTimeout, $"The request head was not complete after {timeout.TotalSeconds:0.###} s"));
                }

                break;
            case Connection.ShedIfSlow:
                if (Environment.TickCount64 - _headStartedMs >= (long)Connection.ShedAge.TotalMilliseconds)
                {
                    Reject(new HttpRejection(HttpRejectionReason.RequestTimeout, "The request head was too slow while the worker was short of connections"));
                }

                break;
            case Connection.Drain:
                _draining = true;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void InApplication(object message)
    {
        switch (message)
        {
            case Connection.ExchangeCompleted:
                OnExchangeCompleted();
                break;
            case Connection.Drain:
                _draining = true;
                _exchange.Draining = true;
                break;
            case Acceptor.IdleCheck:
            case Connection.ShedIfSlow:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Lingering(object message)
    {
        switch (message)
        {
            case ReceiveCompleted:
                int read = CompleteReceive();
                _lingered += Math.Max(read, 0);
                if (read <= 0 || _lingered > LingerLimit)
                {
                    Context.Stop(Self);
                    return;
                }

                _input.Consume(_input.Length);
                StartReceiveWhileLingering();
                break;
            case LingerExpired:
                Context.Stop(Self);
                break;
            case Acceptor.IdleCheck:
            case Connection.Drain:
            case Connection.ShedIfSlow:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StartReceive()
    {
        while (true)
        {
            _pendingReceive = _transport.ReceiveAsync(_input.GetFreeSpace()).ConfigureAwait(false).GetAwaiter();
            if (!_pendingReceive.IsCompleted)
            {
                _receivePending = true;
                _pendingReceive.UnsafeOnCompleted(_onReceiveCompleted);
                return;
            }

            // Data was already there: handle it now rather than through the mailbox.
            if (!HandleReceived(CompleteReceive()))
            {
                return;
            }
        }
    }

    private void OnReceived()
    {
        if (HandleReceived(CompleteReceive()))
        {
            StartReceive();
        }
    }

    /// <returns>The byte count, 0 at end of stream, -1 when the socket failed.</returns>
    private int CompleteReceive()
    {
        _receivePending = false;
        try
        {
            int read = _pendingReceive.GetResult();
            _input.Advance(read);
            return read;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            return -1;
        }
    }

    /// <summary>Processes newly received bytes; true when the caller should receive again.</summary>
    private bool HandleReceived(int read)
    {
        if (read <= 0)
        {
            // The client closed (or reset) the connection. A partial head is gunicorn's NoMoreData: no answer.
            Context.Stop(Self);
            return false;
        }

        return TryDispatch();
    }

    /// <summary>Parses the buffered input; dispatches a complete request. True when more bytes are needed.</summary>
    private bool TryDispatch()
    {
        if (_proxyParser is not null && !TryReadProxyHeader(out bool needMore))
        {
            return needMore;
        }

        var status = _parser.TryParseHead(_input.Unconsumed, _head, out var consumed, out _, out var rejection);
        switch (status)
        {
            case HttpParseStatus.Complete:
                _input.ConsumeTo(consumed);
                Dispatch();
                return false;
            case HttpParseStatus.Rejected:
                Reject(rejection!);
                return false;
            default:
                StartReadingHead();
                return true;
        }
    }

    private void StartReadingHead()
    {
        if (_state != State.ReadingHead)
        {
            _state = State.ReadingHead;
            _headStartedMs = Environment.TickCount64;
        }
    }

    /// <summary>
    /// Reads the PROXY header that may open the connection. False when the caller must stop: more bytes are needed
    /// (<paramref name="needMore"/>) or the header was refused (answered and lingering).
    /// </summary>
    private bool TryReadProxyHeader(out bool needMore)
    {
        needMore = false;
        var status = _proxyParser!.TryParse(_input.Unconsumed, _peerMayUseProxyProtocol, out var info, out var consumed, out _, out var rejection);
        switch (status)
        {
            case ProxyParseStatus.Incomplete:
                StartReadingHead();
                needMore = true;
                return false;
            case ProxyParseStatus.Rejected:
                Reject(rejection!);
                return false;
            case ProxyParseStatus.Complete:
                _input.ConsumeTo(consumed);
                _exchange.ProxyProtocol = info;
                break;
        }

        _proxyParser = null;
        return true;
    }

    private void Dispatch()
    {
        bool budgetSpent = _services.MaxRequests > 0 && _services.Statistics.RequestsServed + 1 >= _services.MaxRequests;
        bool serverWantsClose = _draining || _services.KeepAlive <= TimeSpan.Zero || budgetSpent;
        _exchange.Draining = _draining;
        _exchange.Begin(_head, serverWantsClose);
        _exchangeOut = true;
        _state = State.InApplication;
        _invokers.Tell(_exchange, Self);
    }

    private void OnExchangeCompleted()
    {
        _exchangeOut = false;
        _servedOne = true;
        if (_exchange.MustAbort)
        {
            Context.Stop(Self);
            return;
        }

        // A response that told the client to keep the connection is honoured even if draining began meanwhile: the
        // client may already be sending its next request, which is then answered with Connection: close.
        if (!_exchange.KeepAlive)
        {
            // Closing while the client still sends (a body the application did not read, or could not: a broken
            // chunked body and its 400; pipelined requests after a close) would make the kernel answer its bytes with
            // a reset, which can destroy the response in flight: linger as after a refused head.
            if (ClientMayStillSend())
            {
                Linger();
            }
            else
            {
                Context.Stop(Self);
            }

            return;
        }

        _idleSinceMs = Environment.TickCount64;
        _state = State.AwaitingRequest;
        // A pipelined request may already be buffered.
        if (_input.Length == 0 || TryDispatch())
        {
            StartReceive();
        }
    }

    private void Reject(HttpRejection rejection)
    {
        if (!rejection.SendsResponse)
        {
            Context.Stop(Self);
            return;
        }

        _services.Log.InvalidRequest(RemoteAddress(), rejection.ToString());
        var response = new OutputBuffer(512);
        try
        {
            HttpErrorResponse.Write(response, rejection);
            _transport.SendNow(response.WrittenMemory.Span);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Context.Stop(Self);
            return;
        }
        finally
        {
            response.Dispose();
        }

        Linger();
    }

    /// <summary>
    /// Half-closes, then reads and drops what the client still sends, so it sees the answer and not a reset
    /// (RFC 9112 9.6; gunicorn 26 lingers the same way). Ends at the client's end of stream, after
    /// <see cref="LingerLimit"/> bytes, or after <see cref="LingerTimeout"/>.
    /// </summary>
    private void Linger()
    {
        try
        {
            _transport.ShutdownSend();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Context.Stop(Self);
            return;
        }

        _state = State.Lingering;
        Timers.StartSingleTimer(nameof(LingerExpired), LingerExpired.Instance, LingerTimeout);
        _input.Consume(_input.Length);
        if (!_receivePending)
        {
            StartReceiveWhileLingering();
        }
    }

    /// <summary>
    /// After a response that closes the connection: true when unread request bytes may still come, that is, the
    /// body was not read to its end, or bytes are buffered or already waiting in the kernel.
    /// </summary>
    private bool ClientMayStillSend()
    {
        try
        {
            return !_exchange.Decoder.IsComplete || _input.Length > 0 || _transport.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    // Raw bytes from the client waiting in the kernel (also under TLS, where the transport counts only decrypted ones).
    private bool BytesWaiting()
    {
        try
        {
            return _transport.Socket.Available > 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void StartReceiveWhileLingering()
    {
        _pendingReceive = _transport.ReceiveAsync(_input.GetFreeSpace()).ConfigureAwait(false).GetAwaiter();
        _receivePending = true;
        _pendingReceive.UnsafeOnCompleted(_onReceiveCompleted);
    }

    private static Exception Innermost(Exception error) => error.InnerException is { } inner ? Innermost(inner) : error;

    private string RemoteAddress() => _transport.Socket.RemoteEndPoint is System.Net.IPEndPoint ip ? ip.Address.ToString() : "-";
}
