namespace ActorGunicorn.Gateway;

/// <summary>A worker process as a server hook sees it (gunicorn's <c>worker</c> argument).</summary>
public interface IWorkerInfo
{
    /// <summary>The worker's process id; 0 in <see cref="IServerHooks.PreFork"/>, before the process exists.</summary>
    int Pid { get; }

    /// <summary>The arbiter's process id.</summary>
    int ParentPid { get; }

    /// <summary>The worker's age: a counter the arbiter increments for every worker it starts, so lower is older.</summary>
    int Age { get; }

    /// <summary>The server's error log.</summary>
    IServerLog Log { get; }
}
