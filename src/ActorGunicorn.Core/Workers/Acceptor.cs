using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The acceptor actor: one per inherited listener. It accepts connections and starts a <see cref="Connection"/> actor
/// for each, pausing at <c>--worker-connections</c> open connections and resuming as they close. On
/// <see cref="StopAccepting"/> it stops accepting (after taking the backlog when the whole server stops), tells its
/// connections to drain, and stops once they are all closed.
/// </summary>
internal static class Acceptor
{
    /// <summary>Props for an acceptor on <paramref name="listener"/>.</summary>
    /// <param name="listener">The inherited listening socket.</param>
    /// <param name="maxConnections">The most connections open at once (<c>--worker-connections</c>).</param>
    /// <param name="services">What the connections share.</param>
    /// <param name="invokers">The application invokers.</param>
    /// <param name="ownListener">
    /// For this worker's own SO_REUSEPORT listener, how it is closed when the worker stops; null for a shared one.
    /// </param>
    public static Props Props(Socket listener, int maxConnections, ConnectionServices services, IActorRef invokers, OwnListenerClose? ownListener = null) =>
        Akka.Actor.Props.Create(() => new AcceptorActor(listener, maxConnections, services, invokers, ownListener));

    /// <summary>How a worker's own SO_REUSEPORT listener is closed when the worker leaves while others serve on.</summary>
    public enum OwnListenerClose
    {
        /// <summary>
        /// Close its gate, take what is queued, then close it: connections hashed to it meanwhile retry their SYN and
        /// reach another worker once it is closed (without tcp_migrate_req the kernel resets what a closing
        /// SO_REUSEPORT socket still holds).
        /// </summary>
        GateFirst,

        /// <summary>Close it at once: the kernel moves its queue to the other workers' sockets (<c>net.ipv4.tcp_migrate_req=1</c>).</summary>
        KernelMigratesQueue,
    }

    /// <summary>From a connection, as it stops: one connection fewer is open.</summary>
    /// <remarks>A plain message rather than DeathWatch: watching costs two system messages per connection.</remarks>
    /// <param name="CountedPeer">The peer whose connection count it was part of, or null when peers are not counted.</param>
    public sealed record ConnectionClosed(IPAddress? CountedPeer)
    {
        /// <summary>The close of a connection whose peer is not counted.</summary>
        public static readonly ConnectionClosed Uncounted = new((IPAddress?)null);
    }

    /// <summary>
    /// To every connection, on the acceptor's tick: check whether you have been idle too long. One sweep timer per
    /// acceptor instead of one timer per connection, which matters when every request opens a connection.
    /// </summary>
    public sealed record IdleCheck : Akka.Event.IDeadLetterSuppression
    {
        /// <summary>The single instance.</summary>
        public static readonly IdleCheck Instance = new();

        private IdleCheck()
        {
        }
    }

    /// <summary>Command: stop accepting and drain the open connections (graceful stop).</summary>
    public sealed record StopAccepting
    {
        /// <summary>Stop accepting now: other workers take what waits in the backlog (recycling, scaling down).</summary>
        public static readonly StopAccepting Instance = new(drainBacklog: false, listenerGated: false);

        /// <summary>
        /// First take the connections already waiting in the listen backlog, then stop: the whole server is stopping,
        /// and what waits there would otherwise be reset when the last listener closes (gunicorn #3397).
        /// </summary>
        public static readonly StopAccepting AfterBacklog = new(drainBacklog: true, listenerGated: false);

        /// <summary>
        /// The whole server is stopping and the listener's gate is closed (<see cref="Transport.ListenerGate"/>):
        /// nothing new can queue, so take everything queued, including handshakes that complete in the next moments.
        /// </summary>
        public static readonly StopAccepting AfterGatedQueue = new(drainBacklog: true, listenerGated: true);

        private StopAccepting(bool drainBacklog, bool listenerGated)
        {
            DrainBacklog = drainBacklog;
            ListenerGated = listenerGated;
        }

        /// <summary>Whether the backlog is taken first.</summary>
        public bool DrainBacklog { get; }

        /// <summary>Whether the listener's gate is closed, so that its whole queue is taken.</summary>
        public bool ListenerGated { get; }
    }

    /// <summary>The stop for an acceptor whose listener is <paramref name="listenerFd"/>, from the worker's stop request.</summary>
    public static StopAccepting StopFor(Worker.StopRequested stop, int listenerFd) => stop switch
    {
        { DrainBacklog: false } => StopAccepting.Instance,
        { GatedListeners: { } gated } when gated.Contains(listenerFd) => StopAccepting.AfterGatedQueue,
        _ => StopAccepting.AfterBacklog,
    };
}
