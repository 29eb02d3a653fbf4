using Akka.Actor;
using ActorGunicorn.Http;
using ActorGunicorn.Logging;

namespace ActorGunicorn.Workers;

/// <summary>What every connection of a worker shares: immutable helpers and the worker's counters.</summary>
/// <param name="ParserOptions">The HTTP parser's settings (limits and policies).</param>
/// <param name="HeadWriter">Writes response heads with the server's name.</param>
/// <param name="Date">The cached Date header value.</param>
/// <param name="Statistics">The worker's counters.</param>
/// <param name="AccessLog">The access log, or null when it is off.</param>
/// <param name="Log">The worker's error log.</param>
/// <param name="KeepAlive">How long an idle keep-alive connection waits for its next request; zero disables keep-alive.</param>
/// <param name="MaxRequests">Requests this worker serves before it retires; 0 means never.</param>
/// <param name="Worker">The worker actor, told when the request budget is spent.</param>
internal sealed record ConnectionServices(
    HttpParserOptions ParserOptions,
    HttpResponseHeadWriter HeadWriter,
    HttpDate Date,
    WorkerStatistics Statistics,
    AccessLog? AccessLog,
    Microsoft.Extensions.Logging.ILogger Log,
    TimeSpan KeepAlive,
    long MaxRequests,
    IActorRef Worker)
{
    /// <summary>The Server header value.</summary>
    public const string ServerName = "actorgunicorn";

    /// <summary>Time allowed from a head's first byte to its end (<c>header_timeout</c>); zero disables.</summary>
    public TimeSpan HeaderTimeout { get; init; }

    /// <summary>The longest wait for request body bytes (<c>body_timeout</c>); zero disables.</summary>
    public TimeSpan BodyTimeout { get; init; }

    /// <summary>Connections one untrusted peer address may hold open in this worker; 0 means no limit.</summary>
    public int PeerConnectionLimit { get; init; }

    /// <summary>The worker's side of the load board, for acceptors on shared listeners; null without one.</summary>
    public AcceptBalancer? Balancer { get; init; }

    /// <summary>The TLS context when the listeners speak TLS (<c>certfile</c> set); null for plain HTTP.</summary>
    public Transport.ServerTls? Tls { get; init; }

    /// <summary>StatsD (<c>--statsd-host</c>), told of every finished request; null without it.</summary>
    public Metrics.StatsdClient? Statsd { get; init; }
}
