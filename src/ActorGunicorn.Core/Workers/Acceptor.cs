using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// The acceptor actor: one per inherited listener. It accepts connections and starts a <see cref="Connection"/> actor
/// for each, pausing at <c>--worker-connections</c> open connections and resuming as they close. On
/// <see cref="StopAccepting"/> it stops accepting, tells its connections to drain, and stops once they are all closed.
/// </summary>
internal static class Acceptor
{
    /// <summary>Props for an acceptor on <paramref name="listener"/>.</summary>
    /// <param name="listener">The inherited listening socket.</param>
    /// <param name="maxConnections">The most connections open at once (<c>--worker-connections</c>).</param>
    /// <param name="services">What the connections share.</param>
    /// <param name="invokers">The application invokers.</param>
    public static Props Props(Socket listener, int maxConnections, ConnectionServices services, IActorRef invokers) =>
        Akka.Actor.Props.Create(() => new AcceptorActor(listener, maxConnections, services, invokers));

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
        public static readonly StopAccepting Instance = new(drainBacklog: false);

        /// <summary>
        /// First take the connections already waiting in the listen backlog, then stop: the whole server is stopping,
        /// and what waits there would otherwise be reset when the last listener closes (gunicorn #3397).
        /// </summary>
        public static readonly StopAccepting AfterBacklog = new(drainBacklog: true);

        private StopAccepting(bool drainBacklog) => DrainBacklog = drainBacklog;

        /// <summary>Whether the backlog is taken first.</summary>
        public bool DrainBacklog { get; }
    }
}
