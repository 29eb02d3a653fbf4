using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Logging;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// Accepts on one listener. States:
/// <list type="bullet">
/// <item>Accepting: one accept is outstanding while fewer than the maximum connections are open; past nine tenths of
/// them, idle and slow connections are shed.</item>
/// <item>TakingBacklog (the whole server stops, the listener stays open for someone else: systemd, a USR2 peer):
/// accept what was queued when the stop arrived, then drain.</item>
/// <item>EmptyingGatedQueue (the listener's gate is closed: nothing new can queue): accept everything queued, and go
/// on for a moment so that handshakes under way at the gate complete and are taken too, then drain. A worker's own
/// <c>--reuse-port</c> listener goes through this whenever the worker stops (the worker closes its gate itself), and
/// is closed the moment its queue is empty, so that connections retried elsewhere need not wait for this worker's
/// drain.</item>
/// <item>Draining: no accept is outstanding; the acceptor stops when its last connection has closed.</item>
/// </list>
/// Every connection accepted after the stop gets one request, answered with Connection: close. A connection that
/// fails is stopped (never restarted) and only it is affected. The acceptor's tick asks its connections to check
/// their keep-alive timeouts.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "The accept's awaiter is kept and its result read exactly once, when the actor handles the completion.")]
internal sealed class AcceptorActor : UntypedActor, IWithTimers
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    // How long a gated listener is still accepted from: a handshake whose SYN arrived before the gate completes one
    // round trip later. Clients whose SYN the gate dropped retry after 1 s, so waiting less than that delays no one.
    private static readonly TimeSpan HandshakeGrace = TimeSpan.FromMilliseconds(250);

    // At the connection limit the queue cannot be taken yet: look again this often.
    private static readonly TimeSpan GatedQueueRecheck = TimeSpan.FromMilliseconds(20);

    // A worker that left the next connection to a peer decides again when a peer wakes it (the load board's futex),
    // when one of its own connections closes, and, as a safety net (a peer SIGKILLed before the arbiter freed its line,
    // a kernel that refuses futexes), this soon. A .NET timer, so the pause does not depend on the actor system's
    // configured scheduler. Each consecutive look waits twice as long, up to the cap: a worker that stays behind its
    // peers for a while need not look a thousand times.
    private static readonly TimeSpan FirstBalanceRecheck = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan LongestBalanceRecheck = TimeSpan.FromMilliseconds(64);

    // gunicorn's default --backlog: the most a Unix listener's queue holds unless raised.
    private const int UnixBacklogCap = 2048;

    private enum AcceptorState
    {
        Accepting,
        TakingBacklog,
        EmptyingGatedQueue,
        Draining,
    }

    private readonly Socket _listener;
    private readonly int _maxConnections;
    private readonly ConnectionServices _services;
    private readonly IActorRef _invokers;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly Acceptor.OwnListenerClose? _ownListener;
    private readonly AcceptBalancer? _balancer;
    private readonly Timer? _balanceRecheck;
    private readonly Action _onAcceptCompleted;
    private readonly Action _onWake;
    private ConfiguredValueTaskAwaitable<Socket>.ConfiguredValueTaskAwaiter _pendingAccept;
    private AcceptorState _state = AcceptorState.Accepting;
    private bool _acceptPending;
    private bool _retryScheduled;
    private bool _listenerClosed;
    private bool _leftToPeer;
    private TimeSpan _nextBalanceRecheck = FirstBalanceRecheck;
    private CancellationTokenSource? _armedAccept;
    private int _backlogLeft;
    private int _open;
    private readonly Dictionary<System.Net.IPAddress, int> _openPerPeer = [];
    private long _lastShedMs;

    public AcceptorActor(Socket listener, int maxConnections, ConnectionServices services, IActorRef invokers, Acceptor.OwnListenerClose? ownListener)
    {
        _listener = listener;
        _ownListener = ownListener;
        var self = Self;
        // The kernel spreads a worker's own SO_REUSEPORT listener's connections; a shared one needs the board.
        _balancer = ownListener is null ? services.Balancer : null;
        var recheck = RecheckBalance.Instance;
        _balanceRecheck = _balancer is null ? null : new Timer(_ => self.Tell(recheck));
        _onWake = () => self.Tell(recheck);
        _maxConnections = maxConnections;
        _services = services;
        _invokers = invokers;
        _onAcceptCompleted = () => self.Tell(AcceptCompleted.Instance);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private bool Stopping => _state != AcceptorState.Accepting;

    private sealed record AcceptCompleted : IDeadLetterSuppression
    {
        public static readonly AcceptCompleted Instance = new();
    }

    private sealed record RetryAccept
    {
        public static readonly RetryAccept Instance = new();
    }

    private sealed record GatedQueueCheck
    {
        public static readonly GatedQueueCheck Instance = new();
    }

    private sealed record RecheckBalance : IDeadLetterSuppression
    {
        public static readonly RecheckBalance Instance = new();
    }

    // Connections are independent: one that fails is stopped and nothing else changes.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
        _balancer?.OnBusy(CancelArmedAcceptIfLeavingToPeer);
        _balancer?.OnWake(_onWake);
        Timers.StartPeriodicTimer(nameof(Acceptor.IdleCheck), Acceptor.IdleCheck.Instance, IdleCheckInterval(_services.KeepAlive));
        Accept();
    }

    // Idle connections are closed within a quarter of their timeout (bounded to 50 ms .. 1 s) after it expires.
    private static TimeSpan IdleCheckInterval(TimeSpan keepAlive)
    {
        var timeout = keepAlive > TimeSpan.Zero ? keepAlive : ConnectionActor.FirstRequestTimeout;
        return TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 4, 50, 1000));
    }

    // An UntypedActor: accepting is on the hot path when clients do not keep connections alive.
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AcceptCompleted:
                OnAcceptCompleted();
                break;
            case RetryAccept:
                _retryScheduled = false;
                Accept();
                break;
            case RecheckBalance:
                StopSteppingBack();
                Accept();
                break;
            case Acceptor.IdleCheck:
                foreach (var connection in Context.GetChildren())
                {
                    connection.Tell(Acceptor.IdleCheck.Instance);
                }

                // At the limit nothing else wakes the acceptor until a connection closes on its own.
                ShedSlowConnectionsIfShort();
                break;
            case Acceptor.ConnectionClosed closed:
                _open--;
                _services.Statistics.ConnectionClosed();
                if (closed.CountedPeer is { } peer && --_openPerPeer[peer] == 0)
                {
                    _openPerPeer.Remove(peer);
                }

                if (_state == AcceptorState.Draining)
                {
                    StopWhenIdle();
                }
                else
                {
                    // One connection fewer may make this worker the one to take the next.
                    StopSteppingBack();
                    Accept();
                }

                break;
            case GatedQueueCheck:
                CheckGatedQueue();
                break;
            case Acceptor.StopAccepting stop:
                BeginStop(stop);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        _balanceRecheck?.Dispose();
        StopSteppingBack();
        _balancer?.OffWake(_onWake);
        _balancer?.OffBusy(CancelArmedAcceptIfLeavingToPeer);
        _armedAccept?.Dispose();
        _stopAccepting.Dispose();
        CloseOwnListener();
    }

    private void BeginStop(Acceptor.StopAccepting stop)
    {
        if (Stopping)
        {
            return;
        }

        // A stopping worker takes its backlog whatever its peers hold.
        StopSteppingBack();
        switch (_ownListener)
        {
            case Acceptor.OwnListenerClose.KernelMigratesQueue when !stop.DrainBacklog:
                Drain();
                break;
            case not null:
                // No other worker accepts from this socket: close its gate and take its whole queue. When the whole
                // server stops this is the only way not to reset what is queued, migration or not.
                EmptyGatedQueue(closeGate: true);
                break;
            case null when stop.ListenerGated:
                EmptyGatedQueue(closeGate: false);
                break;
            case null when stop.DrainBacklog:
                TakeBacklogThenDrain();
                break;
            default:
                Drain();
                break;
        }
    }

    private void Accept()
    {
        ShedSlowConnectionsIfShort();
        while (_state != AcceptorState.Draining && !_acceptPending && !_retryScheduled && !_leftToPeer && _open < _maxConnections)
        {
            if (ShouldLeaveToPeer())
            {
                _leftToPeer = true;
                _balanceRecheck!.Change(_nextBalanceRecheck, Timeout.InfiniteTimeSpan);
                _nextBalanceRecheck = TimeSpan.FromTicks(Math.Min(_nextBalanceRecheck.Ticks * 2, LongestBalanceRecheck.Ticks));
                return;
            }

            _nextBalanceRecheck = FirstBalanceRecheck;
            _pendingAccept = _listener.AcceptAsync(AcceptCancellation()).ConfigureAwait(false).GetAwaiter();
            if (!_pendingAccept.IsCompleted)
            {
                _acceptPending = true;
                _pendingAccept.UnsafeOnCompleted(_onAcceptCompleted);
                if (_state == AcceptorState.TakingBacklog)
                {
                    // The accept did not complete at once: the backlog is empty. Whatever arrives now is after the stop.
                    Drain();
                }

                return;
            }

            // Connections were already queued: take them in one go.
            TakeAccepted();
        }
    }

    /// <summary>
    /// The server is stopping and the listener stays open for someone else (systemd keeps it for the next start, or a
    /// USR2 peer's workers serve on it): take the connections queued when the stop arrived (the kernel reports the
    /// accept queue's length for TCP; a Unix socket is taken until it is empty, at most a backlog's worth), serve each
    /// one request, then drain. Connections made after the stop are left to the others, so a busy client cannot keep a
    /// stopping worker alive.
    /// </summary>
    private void TakeBacklogThenDrain()
    {
        _backlogLeft = ListenBacklog.QueuedConnections(_listener) ?? (_listener.Poll(0, SelectMode.SelectRead) ? UnixBacklogCap : 0);
        if (_backlogLeft <= 0)
        {
            Drain();
            return;
        }

        // An accept already outstanding completes with the first queued connection; the rest follow from there.
        _state = AcceptorState.TakingBacklog;
        TellConnections(Connection.Drain.Instance);
        if (!_acceptPending)
        {
            Accept();
        }
    }

    /// <summary>
    /// Nothing new can queue on the listener (its gate is closed): accept everything queued, and keep accepting for
    /// <see cref="HandshakeGrace"/> so that handshakes under way when the gate closed are taken too. It ends when the
    /// grace has passed with an accept outstanding, which means the queue is empty.
    /// </summary>
    private void EmptyGatedQueue(bool closeGate)
    {
        if (closeGate)
        {
            try
            {
                ListenerGate.Close(_listener);
            }
            catch (SocketException ex)
            {
                _services.Log.AcceptFailed(_listener.LocalEndPoint?.ToString() ?? "?", ex.Message);
            }
        }

        _state = AcceptorState.EmptyingGatedQueue;
        TellConnections(Connection.Drain.Instance);
        Timers.StartSingleTimer(nameof(GatedQueueCheck), GatedQueueCheck.Instance, HandshakeGrace);
        Accept();
    }

    private void CheckGatedQueue()
    {
        if (_state != AcceptorState.EmptyingGatedQueue)
        {
            return;
        }

        // An outstanding accept would have completed with anything queued. Without one (at the connection limit, or
        // retrying after an error) the queue may still hold connections: look again once slots may have freed.
        if (_acceptPending)
        {
            Drain();
        }
        else
        {
            Timers.StartSingleTimer(nameof(GatedQueueCheck), GatedQueueCheck.Instance, GatedQueueRecheck);
        }
    }

    /// <summary>
    /// When nine tenths of the connection slots are taken, asks every connection to close if it is idle or trickling
    /// a head (at most every quarter second): slow clients (slowloris) cannot fill the worker and keep prompt ones
    /// waiting in the listen backlog.
    /// </summary>
    private void ShedSlowConnectionsIfShort()
    {
        long now = Environment.TickCount64;
        if (Stopping || _open < _maxConnections - (_maxConnections / 10) || now - _lastShedMs < 250)
        {
            return;
        }

        _lastShedMs = now;
        TellConnections(Connection.ShedIfSlow.Instance);
    }

    private static void TellConnections(object message)
    {
        foreach (var connection in Context.GetChildren())
        {
            connection.Tell(message);
        }
    }

    // With a load board, each accept can be called off on its own: when the worker's application threads all become
    // busy, its outstanding accept is cancelled from the thread that started the request, so the kernel hands the next
    // connection to a peer instead of to a worker that could not serve it yet. (For WSGI this actor runs on that very
    // thread, so it could not do it itself.) Without a board, only the stop cancels.
    private CancellationToken AcceptCancellation()
    {
        if (_balancer is null)
        {
            return _stopAccepting.Token;
        }

        var previous = _armedAccept;
        var armed = CancellationTokenSource.CreateLinkedTokenSource(_stopAccepting.Token);
        Volatile.Write(ref _armedAccept, armed);
        previous?.Dispose();
        return armed.Token;
    }

    private void CancelArmedAcceptIfLeavingToPeer()
    {
        if (_state == AcceptorState.Accepting)
        {
            try
            {
                Volatile.Read(ref _armedAccept)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // A later accept replaced it meanwhile: that one decides for itself.
            }
        }
    }

    private void StopSteppingBack()
    {
        if (_leftToPeer)
        {
            _leftToPeer = false;
            _balancer!.StopSteppingBack();
        }
    }

    // Only while serving: a stopping worker takes its backlog whatever its peers hold.
    private bool ShouldLeaveToPeer() =>
        _balancer is not null && _state == AcceptorState.Accepting && _balancer.LeaveToPeer(_services.Statistics.OpenConnections);

    private void OnAcceptCompleted()
    {
        _acceptPending = false;
        TakeAccepted();
        if (_state == AcceptorState.Draining)
        {
            StopWhenIdle();
        }
        else
        {
            Accept();
        }
    }

    private void TakeAccepted()
    {
        Socket socket;
        try
        {
            socket = _pendingAccept.GetResult();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (SocketException ex)
        {
            // Out of descriptors or a connection reset while queued: log, back off briefly, go on.
            _services.Log.AcceptFailed(_listener.LocalEndPoint?.ToString() ?? "?", ex.Message);
            Timers.StartSingleTimer(nameof(RetryAccept), RetryAccept.Instance, AcceptRetryDelay);
            _retryScheduled = true;
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            socket.NoDelay = true;
        }

        var countedPeer = CountedPeer(socket);
        if (countedPeer is not null)
        {
            int open = _openPerPeer.GetValueOrDefault(countedPeer);
            if (open >= _services.PeerConnectionLimit)
            {
                // One client (or a slowloris attack from one address) may not take every slot.
                if (_services.Log.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
                {
                    _services.Log.PeerLimitReached(countedPeer.ToString(), _services.PeerConnectionLimit);
                }

                socket.Dispose();
                CountTakenFromBacklog();
                return;
            }

            _openPerPeer[countedPeer] = open + 1;
        }

        Context.ActorOf(Connection.Props(socket, _services, _invokers, Stopping, countedPeer));
        _open++;
        _services.Statistics.ConnectionOpened();
        CountTakenFromBacklog();
    }

    private void CountTakenFromBacklog()
    {
        if (_state == AcceptorState.TakingBacklog && --_backlogLeft <= 0)
        {
            Drain();
        }
    }

    // Trusted front ends (forwarded-allow-ips) and Unix-socket peers carry everyone's traffic: they are not counted.
    private System.Net.IPAddress? CountedPeer(Socket socket) =>
        _services.PeerConnectionLimit > 0 && socket.RemoteEndPoint is System.Net.IPEndPoint ip && !_services.ParserOptions.IsTrustedForwarder(ip)
            ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address)
            : null;

    private void Drain()
    {
        if (_state == AcceptorState.Draining)
        {
            return;
        }

        _state = AcceptorState.Draining;
        Timers.Cancel(nameof(RetryAccept));
        StopSteppingBack();
        Timers.Cancel(nameof(GatedQueueCheck));
        _retryScheduled = false;
        // Cancelling the pending accept leaves a shared listener open for the other workers; a connection the kernel
        // handed over at that very moment still completes the accept and is served.
        _stopAccepting.Cancel();
        TellConnections(Connection.Drain.Instance);
        StopWhenIdle();
    }

    private void StopWhenIdle()
    {
        if (_acceptPending)
        {
            return;
        }

        // A worker's own listener is closed as soon as nothing is accepting from it, before its connections finish:
        // the kernel then sends new connections (and retried SYNs) to the other workers' sockets.
        CloseOwnListener();
        if (_open == 0)
        {
            Context.Stop(Self);
        }
    }

    private void CloseOwnListener()
    {
        if (_ownListener is not null && !_listenerClosed)
        {
            _listenerClosed = true;
            _listener.Dispose();
        }
    }
}
