using System.Net.Sockets;
using Akka.Actor;
using ActorGunicorn.Control;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;
using ActorGunicorn.Logging;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The worker actor: the root of a worker process's actor tree (invokers, one acceptor per listener, the control
/// link). Its lifecycle is gunicorn's worker loop as a state machine: Running → Draining (stop accepting, finish
/// in-flight requests) → Exited, or straight to Exited on a quick stop or when the arbiter is gone.
/// </summary>
internal static class Worker
{
    /// <summary>Props for the worker.</summary>
    public static Props Props(WorkerSetup setup) => Akka.Actor.Props.Create(() => new WorkerActor(setup));

    /// <summary>Command (from the arbiter or a signal): stop.</summary>
    /// <param name="Graceful">True: drain within the graceful timeout. False: exit now.</param>
    /// <param name="DrainBacklog">True when the whole server stops: take what waits in the listen backlog first.</param>
    /// <param name="GatedListeners">
    /// The descriptors of the listeners closed to new connections (<see cref="Transport.ListenerGate"/>): everything
    /// queued on them is taken. Null or empty: only what was queued when the stop arrived.
    /// </param>
    public sealed record StopRequested(bool Graceful, bool DrainBacklog = false, IReadOnlyCollection<int>? GatedListeners = null);

    /// <summary>
    /// Event: this worker should be replaced (request budget spent, a request overran --request-timeout). The worker
    /// asks the arbiter once and serves on until the arbiter, with a replacement ready, stops it.
    /// </summary>
    /// <param name="Reason">Why, for the logs.</param>
    public sealed record RecycleNeeded(string Reason);

    /// <summary>Event from the control link: the arbiter's end of the channel closed, so the arbiter is dead.</summary>
    public sealed record ArbiterLost
    {
        /// <summary>The single instance.</summary>
        public static readonly ArbiterLost Instance = new();

        private ArbiterLost()
        {
        }
    }

    /// <summary>Event from a connection: the worker has served its <c>--max-requests</c> budget.</summary>
    public sealed record RequestBudgetSpent
    {
        /// <summary>The single instance.</summary>
        public static readonly RequestBudgetSpent Instance = new();

        private RequestBudgetSpent()
        {
        }
    }
}

/// <summary>Everything a worker actor starts from.</summary>
/// <param name="Application">The loaded application.</param>
/// <param name="Threads">How many invokers (<c>--threads</c>).</param>
/// <param name="WorkerConnections">Connections per acceptor (<c>--worker-connections</c>).</param>
/// <param name="KeepAlive">The keep-alive timeout (<c>--keep-alive</c>).</param>
/// <param name="GracefulTimeout">How long draining may take (<c>--graceful-timeout</c>).</param>
/// <param name="MaxRequests">The request budget with jitter, from the bootstrap; 0 means none.</param>
/// <param name="ParserOptions">The HTTP parser's settings.</param>
/// <param name="Listeners">The inherited listening sockets.</param>
/// <param name="Control">The control channel to the arbiter; null when the worker runs inside a host's actor system (embedded), with no arbiter.</param>
/// <param name="AccessLog">The access log, or null.</param>
/// <param name="Log">The error log.</param>
/// <param name="Outcome">Completed with the process exit code when the worker is done.</param>
internal sealed record WorkerSetup(
    IGatewayApplication Application,
    int Threads,
    int WorkerConnections,
    TimeSpan KeepAlive,
    TimeSpan GracefulTimeout,
    long MaxRequests,
    HttpParserOptions ParserOptions,
    IReadOnlyList<Socket> Listeners,
    ControlChannel? Control,
    AccessLog? AccessLog,
    Microsoft.Extensions.Logging.ILogger Log,
    TaskCompletionSource<int> Outcome)
{
    /// <summary>Time allowed from a head's first byte to its end; zero disables.</summary>
    public TimeSpan HeaderTimeout { get; init; }

    /// <summary>The longest wait for request body bytes; zero disables.</summary>
    public TimeSpan BodyTimeout { get; init; }

    /// <summary>Connections one untrusted client address may hold; 0 means no limit.</summary>
    public int PeerConnectionLimit { get; init; }

    /// <summary>The listeners this worker opened itself (<c>--reuse-port</c>): it keeps accepting on them while draining.</summary>
    public IReadOnlySet<Socket> OwnListeners { get; init; } = new HashSet<Socket>();

    /// <summary>The TLS context, or null for plain HTTP.</summary>
    public Transport.ServerTls? Tls { get; init; }

    /// <summary>The longest a request may run (<c>--request-timeout</c>); zero disables the watchdog.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>The worker's counters and running requests, shared with the SIGABRT handler outside the actors.</summary>
    public WorkerStatistics Statistics { get; init; } = new();

    /// <summary>The server hooks (worker_int), or null for none.</summary>
    public Hooks.WorkerHooks? Hooks { get; init; }

    /// <summary>StatsD (<c>--statsd-host</c>), told of every finished request; null without it.</summary>
    public Metrics.StatsdClient? Statsd { get; init; }
}
