namespace ActorGunicorn.Gateway;

/// <summary>
/// gunicorn's server hooks for .NET: implement the ones you need, the others do nothing. Name the implementing class
/// with <c>--server-hooks path/Hooks.dll[:Namespace.Type]</c>; the assembly is loaded in the arbiter and in every
/// worker, each process creating its own instance, so an instance only ever sees the calls of its own process.
/// </summary>
/// <remarks>
/// <para>
/// Arbiter process: <see cref="OnStarting"/>, <see cref="WhenReady"/>, <see cref="PreFork"/>,
/// <see cref="ChildExit"/>, <see cref="NumWorkersChanged"/>, <see cref="OnReload"/>, <see cref="OnExit"/>.
/// Worker process: <see cref="PostFork"/>, <see cref="PostWorkerInit"/>, <see cref="WorkerInt"/>,
/// <see cref="WorkerAbort"/>, <see cref="PreRequest"/>, <see cref="PostRequest"/>, <see cref="WorkerExit"/>.
/// </para>
/// <para>
/// An exception from <see cref="OnStarting"/> or <see cref="WhenReady"/> stops the server from starting, and one from
/// <see cref="PostFork"/> or <see cref="PostWorkerInit"/> fails the worker's boot (exit code 3), as in gunicorn; one
/// from <see cref="PreRequest"/> fails that request (500). Any other exception is logged and the server carries on.
/// </para>
/// </remarks>
public interface IServerHooks
{
    /// <summary>In the arbiter, before it binds its listeners (gunicorn's <c>on_starting(server)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    void OnStarting(IServerInfo server)
    {
    }

    /// <summary>In the arbiter, when it reloads its configuration on SIGHUP (<c>on_reload(server)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    void OnReload(IServerInfo server)
    {
    }

    /// <summary>In the arbiter, once the listeners are open and before the first worker starts (<c>when_ready(server)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    void WhenReady(IServerInfo server)
    {
    }

    /// <summary>In the arbiter, just before a worker process is started (<c>pre_fork(server, worker)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    /// <param name="worker">The worker about to start: its <see cref="IWorkerInfo.Pid"/> is still 0.</param>
    void PreFork(IServerInfo server, IWorkerInfo worker)
    {
    }

    /// <summary>In the new worker, before it loads the application (<c>post_fork(server, worker)</c>).</summary>
    /// <param name="server">The arbiter, as the worker sees it.</param>
    /// <param name="worker">This worker.</param>
    void PostFork(IServerInfo server, IWorkerInfo worker)
    {
    }

    /// <summary>In the worker, after the application has loaded and before it serves (<c>post_worker_init(worker)</c>).</summary>
    /// <param name="worker">This worker.</param>
    void PostWorkerInit(IWorkerInfo worker)
    {
    }

    /// <summary>In the worker, when it is told to stop at once: SIGINT, SIGQUIT, or the arbiter's quick stop (<c>worker_int(worker)</c>).</summary>
    /// <param name="worker">This worker.</param>
    void WorkerInt(IWorkerInfo worker)
    {
    }

    /// <summary>In the worker, when it receives SIGABRT, which the arbiter sends on a timeout (<c>worker_abort(worker)</c>).</summary>
    /// <param name="worker">This worker.</param>
    void WorkerAbort(IWorkerInfo worker)
    {
    }

    /// <summary>In the worker, before the application is called for a request (<c>pre_request(worker, req)</c>).</summary>
    /// <param name="worker">This worker.</param>
    /// <param name="request">The request; valid only during the call.</param>
    void PreRequest(IWorkerInfo worker, IGatewayRequest request)
    {
    }

    /// <summary>In the worker, after the application has produced its response (<c>post_request(worker, req, environ, resp)</c>).</summary>
    /// <param name="worker">This worker.</param>
    /// <param name="request">The request; valid only during the call.</param>
    /// <param name="response">The response, with its final status; valid only during the call.</param>
    void PostRequest(IWorkerInfo worker, IGatewayRequest request, IGatewayResponse response)
    {
    }

    /// <summary>In the arbiter, after a worker process has exited and been reaped (<c>child_exit(server, worker)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    /// <param name="worker">The worker that exited.</param>
    void ChildExit(IServerInfo server, IWorkerInfo worker)
    {
    }

    /// <summary>In the worker, as it exits, whatever the reason (<c>worker_exit(server, worker)</c>).</summary>
    /// <param name="server">The arbiter, as the worker sees it.</param>
    /// <param name="worker">This worker.</param>
    void WorkerExit(IServerInfo server, IWorkerInfo worker)
    {
    }

    /// <summary>
    /// In the arbiter, when the number of workers it aims for changes: SIGTTIN, SIGTTOU, <c>actorgunicorn ctl
    /// add/remove</c>, the cluster's <c>scale</c>, or the load with <c>--max-workers</c>
    /// (<c>nworkers_changed(server, new, old)</c>).
    /// </summary>
    /// <param name="server">The arbiter.</param>
    /// <param name="newValue">The new number.</param>
    /// <param name="oldValue">The number before.</param>
    void NumWorkersChanged(IServerInfo server, int newValue, int oldValue)
    {
    }

    /// <summary>In the arbiter, just before it exits (<c>on_exit(server)</c>).</summary>
    /// <param name="server">The arbiter.</param>
    void OnExit(IServerInfo server)
    {
    }
}
