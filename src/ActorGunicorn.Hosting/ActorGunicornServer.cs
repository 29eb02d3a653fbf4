using System.Net;
using Akka.Actor;

namespace ActorGunicorn.Hosting;

/// <summary>
/// The server actor started by <see cref="ActorGunicornHostingExtensions"/>, and the key it is registered under in
/// Akka.Hosting's <c>ActorRegistry</c> (<c>registry.Get&lt;ActorGunicornServer&gt;()</c>). It owns the listeners
/// and either the worker actor tree (in-process mode) or the arbiter (pre-fork mode), and stops them gracefully
/// when the host stops.
/// </summary>
public sealed class ActorGunicornServer
{
    private ActorGunicornServer()
    {
    }

    /// <summary>Query: where the server listens. Answered with <see cref="Listening"/>.</summary>
    public sealed record GetListening
    {
        /// <summary>The single instance.</summary>
        public static GetListening Instance { get; } = new();

        private GetListening()
        {
        }
    }

    /// <summary>The addresses the server listens on, with the ports the kernel chose for port 0.</summary>
    /// <param name="EndPoints">One per listener, in <c>bind</c> order.</param>
    public sealed record Listening(IReadOnlyList<EndPoint> EndPoints);

    /// <summary>
    /// Command: stop gracefully (stop accepting, let in-flight requests finish within the graceful timeout, release
    /// the listeners; pre-fork: stop every worker process). Answered with <see cref="Stopped"/> once done. The host
    /// sends it when it stops; sending it earlier stops serving without stopping the host.
    /// </summary>
    public sealed record StopServing
    {
        /// <summary>The single instance.</summary>
        public static StopServing Instance { get; } = new();

        private StopServing()
        {
        }
    }

    /// <summary>Event: the server has stopped serving and released its listeners.</summary>
    public sealed record Stopped
    {
        /// <summary>The single instance.</summary>
        public static Stopped Instance { get; } = new();

        private Stopped()
        {
        }
    }

    /// <summary>Props for the server actor: used by the hosting extensions, which compose its collaborators.</summary>
    internal static Props Props(Internal.ServedTree tree) => Akka.Actor.Props.Create(() => new Internal.ServerActor(tree));
}
