using Akka.Actor;
using Akka.Hosting;
using ActorGunicorn.Configuration;
using ActorGunicorn.Gateway;
using ActorGunicorn.Http;
using ActorGunicorn.Logging;
using ActorGunicorn.Runtime;
using ActorGunicorn.Transport;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Hosting.Internal;

/// <summary>
/// In-process mode: the worker actor tree (invokers, acceptors, connections) as children of the server actor, in the
/// host's actor system, with no arbiter and no control channel. The application is the setup's gateway application
/// or, for an actor handler, a <see cref="ActorHandlerApplication"/> in front of the handler's gateway actor.
/// </summary>
internal static class InProcessComposition
{
    /// <summary>The name of an actor handler the server starts from props.</summary>
    public const string HandlerName = "handler";

    public static ServedTree Compose(ServerSettings settings, ActorGunicornSetup setup, IActorRegistry registry, ILoggerFactory loggerFactory)
    {
        // Found before anything is bound: a missing registration is a start-up error, not a half-started server.
        var registeredHandler = setup.Handler?.Lookup?.Invoke(registry);
        var listeners = Listeners.Open(settings);
        var log = loggerFactory.CreateLogger("actorgunicorn.worker");
        if (log.IsEnabled(LogLevel.Information))
        {
            foreach (var listener in listeners)
            {
                log.ListeningAt(listener.Describe(settings.IsTls), Environment.ProcessId);
            }
        }

        var outcome = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var accessLog = AccessLog.Create(settings.AccessLog, settings.AccessLogFormat);
        var finished = outcome.Task.ContinueWith(_ => accessLog?.Dispose(), TaskScheduler.Default);
        return new ServedTree(
            listeners,
            context =>
            {
                var application = setup.Application ?? HandlerApplication(setup.Handler!, registeredHandler, context);
                var workerSetup = new WorkerSetup(
                    application,
                    settings.Threads,
                    settings.WorkerConnections,
                    settings.KeepAlive,
                    settings.GracefulTimeout,
                    MaxRequests: 0,
                    WorkerMain.ParserOptions(settings),
                    listeners.Select(listener => listener.Socket).ToList(),
                    Control: null,
                    accessLog,
                    log,
                    outcome)
                {
                    HeaderTimeout = settings.HeaderTimeout,
                    BodyTimeout = settings.BodyTimeout,
                    Tls = Transport.ServerTls.Create(settings),
                    PeerConnectionLimit = settings.LimitPeerConnections,
                    RequestTimeout = settings.RequestTimeout,
                };
                return context.ActorOf(Worker.Props(workerSetup), "worker");
            },
            () =>
            {
                // The listeners are this process's own and close with the server: nothing new may queue on them, and
                // what is queued is served (gunicorn #3397).
                var gated = new ListenerGates(listeners, upgradePeerExists: () => false).CloseForStop();
                return new Worker.StopRequested(Graceful: true, DrainBacklog: true, gated);
            },
            finished);
    }

    private static ActorHandlerApplication HandlerApplication(ActorHandler handler, IActorRef? registered, IUntypedActorContext context)
    {
        var handlerActor = registered ?? context.ActorOf(handler.ChildProps!, HandlerName);
        var gateway = context.ActorOf(HandlerGateway.Props(handlerActor, handler), "handler-gateway");
        return new ActorHandlerApplication(gateway);
    }
}
