using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using ActorGunicorn.Workers.Internal;

namespace ActorGunicorn.Workers;

/// <summary>
/// A connection actor: one per accepted client socket. It reads and parses request heads, hands each request to
/// the application invokers, keeps the connection alive between requests for <c>--keep-alive</c> seconds, and
/// closes it on error, on timeout, or when the worker drains. A failure stops this connection only.
/// </summary>
internal static class Connection
{
    /// <summary>Props for a connection over <paramref name="socket"/>.</summary>
    /// <param name="socket">The accepted socket; the actor owns it.</param>
    /// <param name="services">What all connections of the worker share.</param>
    /// <param name="invokers">The application invokers.</param>
    /// <param name="draining">True when accepted while the worker drains: serve one request, then close.</param>
    /// <param name="countedPeer">The peer address the acceptor counts this connection against, or null.</param>
    public static Props Props(Socket socket, ConnectionServices services, IActorRef invokers, bool draining, System.Net.IPAddress? countedPeer = null) =>
        Akka.Actor.Props.CreateBy(new Producer(socket, services, invokers, draining, countedPeer));

    /// <summary>
    /// Command: finish the request in progress, if any, then close. Sent to every connection at once, so it may reach
    /// one that has just closed: that is not worth a dead-letter line.
    /// </summary>
    public sealed record Drain : IDeadLetterSuppression
    {
        /// <summary>The single instance.</summary>
        public static readonly Drain Instance = new();

        private Drain()
        {
        }
    }

    /// <summary>
    /// From the acceptor, when the worker's connection slots run short: close if this connection has sat idle, or
    /// has been trickling a request head, for <see cref="ShedAge"/> or more (a slow head gets 408). A connection that
    /// is serving a request, or whose client is sending promptly, is kept.
    /// </summary>
    public sealed record ShedIfSlow : IDeadLetterSuppression
    {
        /// <summary>The single instance.</summary>
        public static readonly ShedIfSlow Instance = new();

        private ShedIfSlow()
        {
        }
    }

    /// <summary>How long a connection may be idle or reading a head before it may be shed under pressure.</summary>
    public static readonly TimeSpan ShedAge = TimeSpan.FromSeconds(1);

    /// <summary>From the invoker: the exchange is complete and back in the connection's hands.</summary>
    public sealed record ExchangeCompleted : IDeadLetterSuppression
    {
        /// <summary>The single instance.</summary>
        public static readonly ExchangeCompleted Instance = new();

        private ExchangeCompleted()
        {
        }
    }

    // Connections are created per accept: a direct producer avoids the reflection and expression-tree costs of
    // the generic Props factories.
    private sealed class Producer(Socket socket, ConnectionServices services, IActorRef invokers, bool draining, System.Net.IPAddress? countedPeer) : IIndirectActorProducer
    {
        public Type ActorType => typeof(ConnectionActor);

        public ActorBase Produce() => new ConnectionActor(socket, services, invokers, draining, countedPeer);

        public void Release(ActorBase actor)
        {
        }
    }
}
