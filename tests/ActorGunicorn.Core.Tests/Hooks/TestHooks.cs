using ActorGunicorn.Gateway;

namespace ActorGunicorn.Core.Tests.Hooks;

/// <summary>Records the hooks called on it, in order; throws from the ones named in <see cref="Failing"/>.</summary>
public sealed class RecordingHooks : IServerHooks
{
    /// <summary>Every call, as the hook's gunicorn name.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Hooks that throw after recording their call.</summary>
    public HashSet<string> Failing { get; } = [];

    /// <inheritdoc />
    public void PreRequest(IWorkerInfo worker, IGatewayRequest request) => Record("pre_request");

    /// <inheritdoc />
    public void PostRequest(IWorkerInfo worker, IGatewayRequest request, IGatewayResponse response) => Record("post_request");

    /// <inheritdoc />
    public void WorkerExit(IServerInfo server, IWorkerInfo worker) => Record("worker_exit");

    private void Record(string hook)
    {
        Calls.Add(hook);
        if (Failing.Contains(hook))
        {
            throw new InvalidOperationException($"{hook} fails on purpose");
        }
    }
}

/// <summary>Implements only a lifecycle hook: a worker with it needs no request wrapper.</summary>
public sealed class LifecycleOnlyHooks : IServerHooks
{
    /// <inheritdoc />
    public void PostFork(IServerInfo server, IWorkerInfo worker)
    {
    }
}

/// <summary>Not a hooks class.</summary>
public sealed class NotHooks
{
}
