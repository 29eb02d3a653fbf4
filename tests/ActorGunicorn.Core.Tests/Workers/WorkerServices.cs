using Akka.Actor;
using ActorGunicorn.Http;
using ActorGunicorn.Workers;
using Microsoft.Extensions.Logging;

namespace ActorGunicorn.Core.Tests.Workers;

/// <summary>Builds the shared connection services a worker would give its connections.</summary>
internal static class WorkerServices
{
    public static ConnectionServices Create(IActorRef worker, ILogger log, TimeSpan? keepAlive = null, long maxRequests = 0) => new(
        HttpParserOptions.Default,
        new HttpResponseHeadWriter(ConnectionServices.ServerName),
        new HttpDate(TimeProvider.System),
        new WorkerStatistics(),
        AccessLog: null,
        log,
        keepAlive ?? TimeSpan.FromSeconds(2),
        maxRequests,
        worker);
}
