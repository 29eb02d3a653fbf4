using Akka.Actor;
using ActorGunicorn.Logging;
using ActorGunicorn.Http;
using ActorGunicorn.Transport;

namespace ActorGunicorn.Workers.Internal;

/// <summary>
/// The worker's lifecycle. Running: acceptors accept, invokers serve. Draining: acceptors stop accepting and wait
/// for their connections to finish; the worker exits when the last acceptor has stopped or the graceful timeout
/// has passed. Exited: the outcome is completed and the process shuts its actor system down.
/// </summary>
internal sealed class WorkerActor : ReceiveActor, IWithTimers
{
    private readonly WorkerSetup _setup;
    private readonly WorkerStatistics _statistics;
    private readonly Dictionary<IActorRef, int> _acceptors = [];
    private IActorRef _control = ActorRefs.Nobody;
    private RequestWatchdog? _requestWatchdog;
    private bool _recycleRequested;

    public WorkerActor(WorkerSetup setup)
    {
        _setup = setup;
        _statistics = setup.Statistics;
        Running();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record DrainDeadline
    {
        public static readonly DrainDeadline Instance = new();
    }

    protected override void PreStart()
    {
        var invokers = Context.ActorOf(ApplicationInvoker.PoolProps(_setup.Application, _setup.Threads), "invokers");
        var services = new ConnectionServices(
            _setup.ParserOptions,
            new HttpResponseHeadWriter(ConnectionServices.ServerName),
            new HttpDate(TimeProvider.System),
            _statistics,
            _setup.AccessLog,
            _setup.Log,
            _setup.KeepAlive,
            _setup.MaxRequests,
            Self)
        {
            HeaderTimeout = _setup.HeaderTimeout,
            BodyTimeout = _setup.BodyTimeout,
            Tls = _setup.Tls,
            PeerConnectionLimit = _setup.PeerConnectionLimit,
            Balancer = _statistics.Balancer,
            Statsd = _setup.Statsd,
        };
        var ownListenerClose = ListenerGate.KernelMigratesReusePortQueues()
            ? Acceptor.OwnListenerClose.KernelMigratesQueue
            : Acceptor.OwnListenerClose.GateFirst;
        for (int i = 0; i < _setup.Listeners.Count; i++)
        {
            var listener = _setup.Listeners[i];
            var own = _setup.OwnListeners.Contains(listener) ? ownListenerClose : (Acceptor.OwnListenerClose?)null;
            var acceptor = Context.ActorOf(Acceptor.Props(listener, _setup.WorkerConnections, services, invokers, own), $"acceptor-{i}");
            Context.Watch(acceptor);
            // The descriptor, by which the arbiter names the listeners it closed to new connections.
            _acceptors.Add(acceptor, (int)listener.Handle);
        }

        // Peers may leave connections to this worker from now on.
        _statistics.Balancer?.PostAccepting(true);

        // Embedded in a host's actor system there is no arbiter to heartbeat to or to ask for a replacement.
        if (_setup.Control is not null)
        {
            _control = Context.ActorOf(ControlLink.Props(_setup.Control, _statistics, Self), "control");
            _control.Tell(ControlLink.AnnounceReady.Instance);
        }

        _requestWatchdog = RequestWatchdog.Start(
            _setup.RequestTimeout, _statistics.InFlight, _setup.Application as Gateway.IGatewayStackDumps, _setup.Log, Self);
    }

    protected override void PostStop() => _requestWatchdog?.Dispose();

    private void Running()
    {
        Receive<Worker.StopRequested>(stop =>
        {
            if (stop.Graceful)
            {
                Drain(stop);
            }
            else
            {
                _setup.Hooks?.WorkerInt();
                Exit();
            }
        });
        Receive<Worker.RequestBudgetSpent>(_ => Self.Tell(new Worker.RecycleNeeded("max-requests reached")));
        Receive<Worker.RecycleNeeded>(recycle =>
        {
            // Asked once: the worker serves on until the arbiter has a replacement ready and stops it. Embedded,
            // there is no arbiter and no replacement: the worker serves on.
            if (!_recycleRequested && _setup.Control is not null)
            {
                _recycleRequested = true;
                _setup.Log.RecycleRequested(recycle.Reason);
                _control.Tell(new ControlLink.RequestRecycle(recycle.Reason));
            }
        });
        Receive<Worker.ArbiterLost>(_ =>
        {
            _setup.Log.ParentChanged(Environment.ProcessId);
            Exit();
        });
        Receive<Terminated>(t => _acceptors.Remove(t.ActorRef));
    }

    private void Draining()
    {
        Receive<Worker.StopRequested>(stop =>
        {
            if (!stop.Graceful)
            {
                _setup.Hooks?.WorkerInt();
                Exit();
            }
        });
        Receive<Worker.RequestBudgetSpent>(_ => { });
        Receive<Worker.RecycleNeeded>(_ => { });
        Receive<Worker.ArbiterLost>(_ => Exit());
        Receive<Terminated>(t =>
        {
            _acceptors.Remove(t.ActorRef);
            if (_acceptors.Count == 0)
            {
                Exit();
            }
        });
        Receive<DrainDeadline>(_ =>
        {
            _setup.Log.DrainTimedOut(_statistics.OpenConnections);
            Exit();
        });
    }

    private void Drain(Worker.StopRequested stop)
    {
        // No peer may leave a connection to a worker that is leaving.
        _statistics.Balancer?.PostAccepting(false);
        Become(Draining);
        Timers.StartSingleTimer(nameof(DrainDeadline), DrainDeadline.Instance, _setup.GracefulTimeout);
        foreach (var (acceptor, listenerFd) in _acceptors)
        {
            acceptor.Tell(Acceptor.StopFor(stop, listenerFd));
        }

        if (_acceptors.Count == 0)
        {
            Exit();
        }
    }

    private void Exit()
    {
        Become(Exited);
        Timers.CancelAll();
        _setup.Outcome.TrySetResult(ExitCodes.Success);
    }

    private void Exited()
    {
        ReceiveAny(_ => { });
    }
}
