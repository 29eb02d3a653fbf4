using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Logging;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// Accepts on one listener. Accepting: one accept is outstanding while fewer than the maximum connections are open;
/// past nine tenths of them, idle and slow connections are shed.
/// Taking the backlog (the whole server is stopping): accept only what was already queued, then drain.
/// Draining: no accept is outstanding; the acceptor stops when its last connection has closed. A connection that
/// fails is stopped (never restarted) and only it is affected. The acceptor's tick asks its connections to check
/// their keep-alive timeouts.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Actors release their resources in PostStop.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2012", Justification = "The accept's awaiter is kept and its result read exactly once, when the actor handles the completion.")]
internal sealed class AcceptorActor : UntypedActor, IWithTimers
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    // gunicorn's default --backlog: the most a Unix listener's queue holds unless raised.
    private const int UnixBacklogCap = 2048;

    private readonly Socket _listener;
    private readonly int _maxConnections;
    private readonly ConnectionServices _services;
    private readonly IActorRef _invokers;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly Action _onAcceptCompleted;
    private ConfiguredValueTaskAwaitable<Socket>.ConfiguredValueTaskAwaiter _pendingAccept;
    private bool _acceptPending;
    private bool _retryScheduled;
    private bool _draining;
    private bool _takingBacklog;
    private int _backlogLeft;
    private int _open;
    private readonly Dictionary<System.Net.IPAddress, int> _openPerPeer = [];
    private long _lastShedMs;

    public AcceptorActor(Socket listener, int maxConnections, ConnectionServices services, IActorRef invokers)
    {
        _listener = listener;
        _maxConnections = maxConnections;
        _services = services;
        _invokers = invokers;
        var self = Self;
        _onAcceptCompleted = () => self.Tell(AcceptCompleted.Instance);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record AcceptCompleted : IDeadLetterSuppression
    {
        public static readonly AcceptCompleted Instance = new();
    }

    private sealed record RetryAccept
    {
        public static readonly RetryAccept Instance = new();
    }

    // Connections are independent: one that fails is stopped and nothing else changes.
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    protected override void PreStart()
    {
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
                if (closed.CountedPeer is { } peer && --_openPerPeer[peer] == 0)
                {
                    _openPerPeer.Remove(peer);
                }

                if (_draining)
                {
                    StopWhenIdle();
                }
                else
                {
                    Accept();
                }

                break;
            case Acceptor.StopAccepting stop when stop.DrainBacklog:
                TakeBacklogThenDrain();
                break;
            case Acceptor.StopAccepting:
                Drain();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop() => _stopAccepting.Dispose();

    private void Accept()
    {
        ShedSlowConnectionsIfShort();
        while (!_draining && !_acceptPending && !_retryScheduled && _open < _maxConnections)
        {
            _pendingAccept = _listener.AcceptAsync(_stopAccepting.Token).ConfigureAwait(false).GetAwaiter();
            if (!_pendingAccept.IsCompleted)
            {
                _acceptPending = true;
                _pendingAccept.UnsafeOnCompleted(_onAcceptCompleted);
                if (_takingBacklog)
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
    /// The server is stopping: take the connections queued when the stop arrived (the kernel reports the accept
    /// queue's length for TCP; a Unix socket is taken until it is empty, at most a backlog's worth), serve each one
    /// request, then drain. Connections made after the stop are not waited for, so a busy client cannot keep a
    /// stopping worker alive.
    /// </summary>
    private void TakeBacklogThenDrain()
    {
        if (_draining || _takingBacklog)
        {
            return;
        }

        _backlogLeft = ListenBacklog.QueuedConnections(_listener) ?? (_listener.Poll(0, SelectMode.SelectRead) ? UnixBacklogCap : 0);
        if (_backlogLeft <= 0)
        {
            Drain();
            return;
        }

        // An accept already outstanding completes with the first queued connection; the rest follow from there.
        _takingBacklog = true;
        foreach (var child in Context.GetChildren())
        {
            child.Tell(Connection.Drain.Instance);
        }

        if (!_acceptPending)
        {
            Accept();
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
        if (_draining || _open < _maxConnections - (_maxConnections / 10) || now - _lastShedMs < 250)
        {
            return;
        }

        _lastShedMs = now;
        foreach (var connection in Context.GetChildren())
        {
            connection.Tell(Connection.ShedIfSlow.Instance);
        }
    }

    private void OnAcceptCompleted()
    {
        _acceptPending = false;
        TakeAccepted();
        if (_draining)
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

        Context.ActorOf(Connection.Props(socket, _services, _invokers, _draining || _takingBacklog, countedPeer));
        _open++;
        CountTakenFromBacklog();
    }

    private void CountTakenFromBacklog()
    {
        if (_takingBacklog && --_backlogLeft <= 0)
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
        if (_draining)
        {
            return;
        }

        _draining = true;
        _takingBacklog = false;
        Timers.Cancel(nameof(RetryAccept));
        _retryScheduled = false;
        // Cancelling the pending accept leaves the shared listener open for the other workers; a connection the
        // kernel handed over at that very moment still completes the accept and is served.
        _stopAccepting.Cancel();
        foreach (var child in Context.GetChildren())
        {
            child.Tell(Connection.Drain.Instance);
        }

        StopWhenIdle();
    }

    private void StopWhenIdle()
    {
        if (_open == 0 && !_acceptPending)
        {
            Context.Stop(Self);
        }
    }
}
