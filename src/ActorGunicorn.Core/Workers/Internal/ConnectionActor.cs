using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Logging;
using ActorGunicorn.Http;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// The connection state machine. AwaitingRequest: waiting for the first byte of a request (the keep-alive timer
/// runs). ReadingHead: part of a head has arrived. InApplication: the exchange, with the socket and the input buffer,
/// belongs to an invoker until it sends <see cref="Connection.ExchangeCompleted"/>. Lingering: an error response was
/// sent; the client's remaining bytes are read and dropped briefly so that it sees the response, not a reset.
/// </summary>
/// <remarks>
/// Receives complete on a socket-engine thread; the continuation only tells the actor, which reads the result
/// itself, so all connection state stays inside the actor.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "The receive's awaiter is kept and its result read exactly once, when the actor handles the completion.")]
internal sealed class ConnectionActor : ReceiveActor, IWithTimers
{
    // Gunicorn's gthread worker gives a new connection 5 s to send its first bytes, whatever the keep-alive.
    private static readonly TimeSpan FirstRequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);
    private const int LingerLimit = 64 * 1024;

    private readonly Socket _socket;
    private readonly ConnectionServices _services;
    private readonly IActorRef _invokers;
    private readonly InputBuffer _input = new(4096);
    private readonly HttpRequestParser _parser;
    private readonly HttpRequestHead _head = new();
    private readonly HttpExchange _exchange;
    private readonly Action _onReceiveCompleted;
    private readonly TimeSpan _idleCheckInterval;

    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pendingReceive;
    private bool _receivePending;
    private bool _draining;
    private bool _inApplication;
    private bool _servedOne;
    private long _idleSinceMs;
    private int _lingered;

    public ConnectionActor(Socket socket, ConnectionServices services, IActorRef invokers, bool draining)
    {
        _socket = socket;
        _services = services;
        _invokers = invokers;
        _draining = draining;
        _parser = new HttpRequestParser(services.ParserOptions);
        _exchange = new HttpExchange(socket, _input, services, Self);
        var self = Self;
        _onReceiveCompleted = () => self.Tell(ReceiveCompleted.Instance);
        var keepAlive = services.KeepAlive > TimeSpan.Zero ? services.KeepAlive : FirstRequestTimeout;
        _idleCheckInterval = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive.TotalMilliseconds / 4, 50, 1000));
        AwaitingRequest();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // Messages that can reach a connection after it stopped (a receive cancelled by the close) are not dead-letter noise.
    private sealed record ReceiveCompleted : IDeadLetterSuppression
    {
        public static readonly ReceiveCompleted Instance = new();
    }

    private sealed record IdleCheck : IDeadLetterSuppression
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed record LingerExpired : IDeadLetterSuppression
    {
        public static readonly LingerExpired Instance = new();
    }

    protected override void PreStart()
    {
        _services.Statistics.ConnectionOpened();
        _idleSinceMs = Environment.TickCount64;
        Timers.StartPeriodicTimer(nameof(IdleCheck), IdleCheck.Instance, _idleCheckInterval);
        StartReceive();
    }

    protected override void PostStop()
    {
        _services.Statistics.ConnectionClosed();
        _exchange.Abort();
        _socket.Dispose();
        // While an invoker still holds the exchange, its buffers are not returned to the pool: the invoker may
        // touch them until it notices the closed socket. The garbage collector takes them instead.
        if (!_inApplication)
        {
            _exchange.Dispose();
            _input.Dispose();
        }
    }

    private void AwaitingRequest()
    {
        Receive<ReceiveCompleted>(_ => OnReceived());
        Receive<IdleCheck>(_ =>
        {
            var limit = _servedOne && _services.KeepAlive > TimeSpan.Zero ? _services.KeepAlive : FirstRequestTimeout;
            if (_input.Length == 0 && Environment.TickCount64 - _idleSinceMs >= (long)limit.TotalMilliseconds)
            {
                Context.Stop(Self);
            }
        });
        Receive<Connection.Drain>(_ =>
        {
            _draining = true;
            if (_input.Length == 0)
            {
                Context.Stop(Self);
            }
        });
    }

    private void InApplication()
    {
        Receive<Connection.ExchangeCompleted>(_ => OnExchangeCompleted());
        Receive<Connection.Drain>(_ =>
        {
            _draining = true;
            _exchange.Draining = true;
        });
        Receive<IdleCheck>(_ => { });
    }

    private void Lingering()
    {
        Receive<ReceiveCompleted>(_ =>
        {
            int read = CompleteReceive();
            _lingered += Math.Max(read, 0);
            if (read <= 0 || _lingered > LingerLimit)
            {
                Context.Stop(Self);
                return;
            }

            _input.Consume(_input.Length);
            StartReceiveWhileLingering();
        });
        Receive<LingerExpired>(_ => Context.Stop(Self));
        Receive<IdleCheck>(_ => { });
        Receive<Connection.Drain>(_ => { });
    }

    private void StartReceive()
    {
        while (true)
        {
            _pendingReceive = _socket.ReceiveAsync(_input.GetFreeSpace(), SocketFlags.None).ConfigureAwait(false).GetAwaiter();
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
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
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
                Become(ReadingHead);
                return true;
        }
    }

    private void ReadingHead()
    {
        Receive<ReceiveCompleted>(_ => OnReceived());
        Receive<IdleCheck>(_ => { });
        Receive<Connection.Drain>(_ => _draining = true);
    }

    private void Dispatch()
    {
        bool budgetSpent = _services.MaxRequests > 0 && _services.Statistics.RequestsServed + 1 >= _services.MaxRequests;
        bool serverWantsClose = _draining || _services.KeepAlive <= TimeSpan.Zero || budgetSpent;
        _exchange.Draining = _draining;
        _exchange.Begin(_head, serverWantsClose);
        _inApplication = true;
        Become(InApplication);
        _invokers.Tell(_exchange, Self);
    }

    private void OnExchangeCompleted()
    {
        _inApplication = false;
        _servedOne = true;
        if (!_exchange.KeepAlive || _exchange.MustAbort || _draining)
        {
            Context.Stop(Self);
            return;
        }

        _idleSinceMs = Environment.TickCount64;
        Become(AwaitingRequest);
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
            _socket.Send(response.WrittenMemory.Span, SocketFlags.None);
            // Half-close, then read and drop what the client still sends, so it sees the answer and not a reset
            // (RFC 9112 9.6; gunicorn 26 lingers the same way).
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Context.Stop(Self);
            return;
        }
        finally
        {
            response.Dispose();
        }

        Become(Lingering);
        Timers.Cancel(nameof(IdleCheck));
        Timers.StartSingleTimer(nameof(LingerExpired), LingerExpired.Instance, LingerTimeout);
        _input.Consume(_input.Length);
        if (!_receivePending)
        {
            StartReceiveWhileLingering();
        }
    }

    private void StartReceiveWhileLingering()
    {
        _pendingReceive = _socket.ReceiveAsync(_input.GetFreeSpace(), SocketFlags.None).ConfigureAwait(false).GetAwaiter();
        _receivePending = true;
        _pendingReceive.UnsafeOnCompleted(_onReceiveCompleted);
    }

    private string RemoteAddress() => _socket.RemoteEndPoint is System.Net.IPEndPoint ip ? ip.Address.ToString() : "-";
}
