using System.Globalization;
using ActorGunicorn.Gateway;

namespace ActorGunicorn.TestApps;

/// <summary>
/// Server hooks that write one error-log line per call (<c>dotnet hook: NAME …</c>), for the integration tests to
/// read the order and arguments from. Its pre_request throws for <c>/hook-fails</c>: that request gets a 500.
/// </summary>
public sealed class RecordingHooks : IServerHooks
{
    /// <inheritdoc />
    public void OnStarting(IServerInfo server) => Record(server.Log, "on_starting", $"server={server.Pid} workers={server.Settings["workers"]}");

    /// <inheritdoc />
    public void WhenReady(IServerInfo server) => Record(server.Log, "when_ready", $"server={server.Pid}");

    /// <inheritdoc />
    public void PreFork(IServerInfo server, IWorkerInfo worker) => Record(server.Log, "pre_fork", Describe(worker));

    /// <inheritdoc />
    public void PostFork(IServerInfo server, IWorkerInfo worker) => Record(server.Log, "post_fork", Describe(worker));

    /// <inheritdoc />
    public void PostWorkerInit(IWorkerInfo worker) => Record(worker.Log, "post_worker_init", Describe(worker));

    /// <inheritdoc />
    public void WorkerInt(IWorkerInfo worker) => Record(worker.Log, "worker_int", Describe(worker));

    /// <inheritdoc />
    public void PreRequest(IWorkerInfo worker, IGatewayRequest request)
    {
        Record(worker.Log, "pre_request", $"{request.Method} {request.Path}");
        if (request.Path == "/hook-fails")
        {
            throw new InvalidOperationException("pre_request refuses /hook-fails");
        }
    }

    /// <inheritdoc />
    public void PostRequest(IWorkerInfo worker, IGatewayRequest request, IGatewayResponse response) =>
        Record(worker.Log, "post_request", $"{request.Path} status={response.StatusCode.ToString(CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public void ChildExit(IServerInfo server, IWorkerInfo worker) => Record(server.Log, "child_exit", Describe(worker));

    /// <inheritdoc />
    public void WorkerExit(IServerInfo server, IWorkerInfo worker) => Record(server.Log, "worker_exit", Describe(worker));

    /// <inheritdoc />
    public void NumWorkersChanged(IServerInfo server, int newValue, int oldValue) =>
        Record(server.Log, "nworkers_changed", $"new={newValue.ToString(CultureInfo.InvariantCulture)} old={oldValue.ToString(CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public void OnExit(IServerInfo server) => Record(server.Log, "on_exit", $"server={server.Pid}");

    private static string Describe(IWorkerInfo worker) =>
        string.Create(CultureInfo.InvariantCulture, $"pid={worker.Pid} ppid={worker.ParentPid} age={worker.Age}");

    private static void Record(IServerLog log, string hook, string details) => log.Info($"dotnet hook: {hook} {details}");
}
